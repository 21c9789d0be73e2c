import { ts } from "../ts.js";
import type { TextEdit } from "../../core/finding.js";
import { FORBIDDEN_IMDS_HEADER, isExtensionHost, METADATA_HEADER_NAME, METADATA_HEADER_VALUE } from "../../imds.js";
import { constantTarget } from "../evaluate.js";
import { FORWARDED_FOR_REMOVED } from "../findings.js";
import {
  findProperty,
  insertFirstProperty,
  objectLiteralOf,
  propertyValue,
  quoted,
  removeProperties,
  stringValue,
} from "../edit-helpers.js";
import type { CodemodContext } from "./types.js";

// IMDS insists on `Metadata: true` and refuses `X-Forwarded-For`; a Content-Type that only described a
// form body has nothing left to describe once the form has moved into the query.

export type HeaderPlan = { edits: TextEdit[]; notes: string[] } | { review: string };

export function metadataHeaderText(quote: string): string {
  return `${METADATA_HEADER_NAME}: ${quoted(METADATA_HEADER_VALUE, quote)}`;
}

/** `headers` written as an object literal (or `new Headers({…})`, or a file-local constant of either). */
export function planHeaders(headers: ts.Expression, context: CodemodContext, formMoved: boolean): HeaderPlan {
  let expression = headers;
  const target = ts.isIdentifier(expression) ? constantTarget(expression) : undefined;
  if (target) expression = target;
  if (
    ts.isNewExpression(expression) &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === "Headers" &&
    expression.arguments?.[0]
  ) {
    expression = expression.arguments[0];
  }
  const object = objectLiteralOf(expression, constantTarget);
  if (!object)
    return {
      review: `its headers (${headers.getText()}) are built where msi2imds cannot check them for Metadata: true`,
    };
  const removed: ts.ObjectLiteralElementLike[] = [];
  const notes: string[] = [];
  const forwarded = findProperty(object, FORBIDDEN_IMDS_HEADER);
  if (forwarded) {
    removed.push(forwarded);
    notes.push(FORWARDED_FOR_REMOVED);
  }
  const contentType = findProperty(object, "content-type");
  if (formMoved && contentType && /x-www-form-urlencoded/i.test(stringValue(propertyValue(contentType)) ?? "")) {
    removed.push(contentType);
  }
  // A GET that still announced the form's length would leave the server waiting for a body that never comes.
  const contentLength = findProperty(object, "content-length");
  if (formMoved && contentLength) removed.push(contentLength);
  // A Host header naming the extension would be sent to IMDS as it is: the client sets the right one.
  const host = findProperty(object, "host");
  const hostName = host && /^([^:]*)(?::\d+)?$/.exec(stringValue(propertyValue(host)) ?? "")?.[1];
  if (host && hostName !== undefined && isExtensionHost(hostName)) {
    removed.push(host);
    notes.push("the extension's Host header removed");
  }
  const edits: TextEdit[] = removeProperties(object, removed);
  const metadata = findProperty(object, METADATA_HEADER_NAME);
  // IMDS documents the value in lower case; "True" is what some samples wrote.
  const value = metadata && ts.isPropertyAssignment(metadata) ? metadata.initializer : undefined;
  if (
    value &&
    (ts.isStringLiteral(value) || ts.isNoSubstitutionTemplateLiteral(value)) &&
    value.text !== METADATA_HEADER_VALUE &&
    value.text.toLowerCase() === METADATA_HEADER_VALUE
  ) {
    edits.push({ start: value.getStart() + 1, end: value.end - 1, text: METADATA_HEADER_VALUE });
    notes.push(`${METADATA_HEADER_NAME}: ${METADATA_HEADER_VALUE} in lower case`);
  }
  if (!metadata) {
    if (removed.length === object.properties.length)
      return { review: "every header it sends would go; add Metadata: true by hand" };
    edits.push(insertFirstProperty(object, metadataHeaderText(context.quote)));
    notes.push(`${METADATA_HEADER_NAME}: ${METADATA_HEADER_VALUE} added`);
  }
  return { edits, notes };
}

/** `headers: { Metadata: "true" }` for an options object that had none. */
export function headersPropertyText(quote: string): string {
  return `headers: { ${metadataHeaderText(quote)} }`;
}
