import {
  ARC_PORT,
  EXTENSION_COMMON_PORTS,
  EXTENSION_DEFAULT_PORT,
  EXTENSION_HOSTS,
  EXTENSION_PUBLISHER,
  EXTENSION_TOKEN_PATH,
  EXTENSION_TYPES,
  IMDS_TOKEN_URL,
} from "../../src/imds.js";
import { CODEMOD_SHAPES } from "./planted-codemod.js";

// The call sites the benchmark plants in its corpus: every form the codemod knows in JS/TS, the text forms
// the linter reads in other languages, and decoys that no tool may count. Endpoint parts are written as
// {{NAME}} and filled from src/imds.ts, so this file holds no live endpoint of its own for msi2imds to flag.

/** One planted call site: `code` may span several lines; a finding anywhere on them counts as finding it. */
export interface Site {
  form: string;
  code: string;
}

/** Context lines are plain strings; sites are what a tool must find. */
export type Segment = string | Site;

export interface PlantedFile {
  path: string;
  segments: readonly Segment[];
  /** Set on decoys: files with look-alikes that must not be reported. */
  decoy?: string;
}

const PLACEHOLDERS: Record<string, string> = {
  PORT: String(EXTENSION_DEFAULT_PORT),
  ALT_PORT: String(EXTENSION_COMMON_PORTS.find((p) => p !== EXTENSION_DEFAULT_PORT)),
  HOST: EXTENSION_HOSTS[0]!,
  LOOPBACK: EXTENSION_HOSTS[1]!,
  PATH: EXTENSION_TOKEN_PATH,
  EXT: `http://${EXTENSION_HOSTS[0]}:${EXTENSION_DEFAULT_PORT}`,
  PUBLISHER: EXTENSION_PUBLISHER,
  TYPE_WINDOWS: EXTENSION_TYPES[0]!,
  TYPE_LINUX: EXTENSION_TYPES[1]!,
  ARC_PORT: String(ARC_PORT),
  IMDS_URL: IMDS_TOKEN_URL,
};

export function fillPlaceholders(text: string): string {
  return text.replace(/\{\{([A-Z_]+)\}\}/g, (_, name: string) => {
    const value = PLACEHOLDERS[name];
    if (value === undefined) throw new Error(`unknown placeholder {{${name}}} in a planted file`);
    return value;
  });
}

const ARM = "https://management.azure.com/";

export const PLANTED_FILES: readonly PlantedFile[] = [
  {
    path: "planted/js/token-client.mjs",
    segments: [
      'import http from "node:http";',
      'import axios from "axios";',
      'import got from "got";',
      "",
      `const resource = "${ARM}";`,
      "",
      {
        form: "URL literal + fetch",
        code: [
          "export async function literalUrl() {",
          '  const response = await fetch("{{EXT}}{{PATH}}?resource=https%3A%2F%2Fmanagement.azure.com%2F", ' +
            '{ headers: { Metadata: "true" } });',
          "  return response.json();",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "template literal",
        code: [
          "export async function templateUrl() {",
          "  const response = await fetch(`{{EXT}}{{PATH}}?resource=${encodeURIComponent(resource)}`, " +
            '{ headers: { Metadata: "true" } });',
          "  return response.json();",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "string concatenation",
        code: [
          "export async function concatenatedUrl() {",
          '  const url = "http://{{HOST}}:" + {{PORT}} + "{{PATH}}?resource=" + encodeURIComponent(resource);',
          '  return (await fetch(url, { headers: { Metadata: "true" } })).json();',
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "axios",
        code: [
          "export async function withAxios() {",
          '  const { data } = await axios.get("{{EXT}}{{PATH}}", ' +
            '{ params: { resource }, headers: { Metadata: "true" } });',
          "  return data;",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "got",
        code: [
          "export function withGot() {",
          '  return got("{{EXT}}{{PATH}}", { searchParams: { resource }, headers: { Metadata: "true" } }).json();',
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "http.request options object",
        code: [
          "export function withHttpRequest(callback) {",
          "  const request = http.request(",
          '    { host: "{{HOST}}", port: {{PORT}}, path: "{{PATH}}?resource=" + encodeURIComponent(resource), ' +
            'method: "GET", headers: { Metadata: "true" } },',
          "    callback,",
          "  );",
          "  request.end();",
          "}",
        ].join("\n"),
      },
      "",
    ],
  },
  {
    path: "planted/ts/token-provider.ts",
    segments: [
      'import * as http from "node:http";',
      'import request from "request";',
      'import superagent from "superagent";',
      "",
      `const resource = "${ARM}";`,
      "",
      {
        form: "constant URL",
        code: [
          'const TOKEN_URL = "{{EXT}}{{PATH}}";',
          "export async function constantUrl(): Promise<unknown> {",
          "  const response = await fetch(`${TOKEN_URL}?resource=${encodeURIComponent(resource)}`, " +
            '{ headers: { Metadata: "true" } });',
          "  return response.json();",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "host and port constants",
        code: [
          'const TOKEN_HOST = "{{HOST}}";',
          "const TOKEN_PORT = {{PORT}};",
          "export async function hostAndPortConstants(): Promise<unknown> {",
          "  const response = await fetch(" +
            "`http://${TOKEN_HOST}:${TOKEN_PORT}{{PATH}}?resource=${encodeURIComponent(resource)}`, " +
            '{ headers: { Metadata: "true" } });',
          "  return response.json();",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "new URL",
        code: [
          "export async function withUrlObject(): Promise<unknown> {",
          '  const url = new URL("{{PATH}}", "{{EXT}}");',
          '  url.searchParams.set("resource", resource);',
          '  return (await fetch(url, { headers: { Metadata: "true" } })).json();',
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "request",
        code: [
          "export function withRequest(done: (error: unknown, body: unknown) => void): void {",
          '  request({ url: "{{EXT}}{{PATH}}", qs: { resource }, headers: { Metadata: "true" }, json: true }, ' +
            "(error, _response, body) => done(error, body));",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "superagent",
        code: [
          "export async function withSuperagent(): Promise<unknown> {",
          '  const response = await superagent.get("{{EXT}}{{PATH}}").query({ resource }).set("Metadata", "true");',
          "  return response.body;",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "form POST",
        code: [
          "export async function formPost(): Promise<unknown> {",
          '  const response = await fetch("{{EXT}}{{PATH}}", {',
          '    method: "POST",',
          '    headers: { Metadata: "true", "Content-Type": "application/x-www-form-urlencoded" },',
          '    body: "resource=" + encodeURIComponent(resource),',
          "  });",
          "  return response.json();",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "port: number in http.get options",
        code: [
          "export function numericPort(callback: (response: http.IncomingMessage) => void): void {",
          '  http.get({ hostname: "{{HOST}}", port: {{PORT}}, path: ' +
            '`{{PATH}}?resource=${encodeURIComponent(resource)}`, headers: { Metadata: "true" } }, callback);',
          "}",
        ].join("\n"),
      },
      "",
    ],
  },
  {
    path: "planted/js/legacy-auth.cjs",
    segments: [
      `const resource = "${ARM}";`,
      "",
      {
        form: "127.0.0.1 host",
        code: [
          "async function loopbackAddress() {",
          '  const response = await fetch("http://{{LOOPBACK}}:{{PORT}}{{PATH}}?resource=" + ' +
            'encodeURIComponent(resource), { headers: { Metadata: "true" } });',
          "  return response.json();",
          "}",
        ].join("\n"),
      },
      "",
      {
        form: "port 50343",
        code: [
          "async function alternatePort() {",
          '  const response = await fetch("http://{{HOST}}:{{ALT_PORT}}{{PATH}}?resource=" + ' +
            'encodeURIComponent(resource), { headers: { Metadata: "true" } });',
          "  return response.json();",
          "}",
        ].join("\n"),
      },
      "",
      "module.exports = { loopbackAddress, alternatePort };",
    ],
  },
  {
    path: "planted/python/token.py",
    segments: [
      "import requests",
      "",
      {
        form: "python requests",
        code: [
          "def get_token(resource):",
          '    response = requests.get("{{EXT}}{{PATH}}", params={"resource": resource}, headers={"Metadata": "true"})',
          "    return response.json()",
        ].join("\n"),
      },
      "",
    ],
  },
  {
    path: "planted/csharp/TokenClient.cs",
    segments: [
      "using System.Net.Http;",
      "",
      "public static class TokenClient",
      "{",
      {
        form: "C# URL string",
        code: '    private const string TokenUrl = "{{EXT}}{{PATH}}?resource=https://management.azure.com/";',
      },
      "}",
    ],
  },
  {
    path: "planted/java/TokenClient.java",
    segments: [
      "import java.net.URL;",
      "",
      "class TokenClient {",
      {
        form: "Java new URL",
        code: [
          "    URL tokenUrl(String resource) throws Exception {",
          '        return new URL("{{EXT}}{{PATH}}?resource=" + resource);',
          "    }",
        ].join("\n"),
      },
      "}",
    ],
  },
  {
    path: "planted/go/token.go",
    segments: [
      "package token",
      "",
      {
        form: "Go constant",
        code: 'const msiEndpoint = "{{EXT}}{{PATH}}"',
      },
    ],
  },
  {
    path: "planted/scripts/get-token.ps1",
    segments: [
      "param([string]$VmName, [string]$ResourceGroup)",
      "",
      {
        form: "PowerShell Invoke-RestMethod",
        code:
          '$token = Invoke-RestMethod -Uri "{{EXT}}{{PATH}}?resource=https://management.azure.com/" ' +
          '-Headers @{Metadata="true"}',
      },
      "",
      {
        form: "PowerShell Set-AzVMExtension",
        code:
          'Set-AzVMExtension -ResourceGroupName $ResourceGroup -VMName $VmName -Name "{{TYPE_WINDOWS}}" ' +
          '-Publisher "{{PUBLISHER}}" -Type "{{TYPE_WINDOWS}}" -TypeHandlerVersion "1.0" -Settings @{port={{PORT}}}',
      },
    ],
  },
  {
    path: "planted/scripts/get-token.sh",
    segments: [
      "#!/bin/sh",
      "set -eu",
      {
        form: "shell curl",
        code: 'curl -s -H Metadata:true "{{EXT}}{{PATH}}?resource=https://management.azure.com/"',
      },
      {
        form: "az vm extension set",
        code:
          "az vm extension set -n {{TYPE_LINUX}} --publisher {{PUBLISHER}} --version 1.0 " +
          '--vm-name "$VM" -g "$RG" --settings \'{"port": {{PORT}}}\'',
      },
    ],
  },
  {
    path: "planted/ci/pipeline.yml",
    segments: [
      "steps:",
      "  - name: Fetch a token",
      "    run: |",
      {
        form: "YAML run step",
        code: '      curl -s -H Metadata:true "{{EXT}}{{PATH}}?resource=https://vault.azure.net"',
      },
    ],
  },
  {
    path: "planted/docker/Dockerfile",
    segments: [
      "FROM debian:bookworm-slim",
      {
        form: "Dockerfile ENV",
        code: "ENV TOKEN_ENDPOINT={{EXT}}{{PATH}}",
      },
      'CMD ["/app/start"]',
    ],
  },
  {
    path: "planted/arm/vm-extension.json",
    segments: [
      "{",
      '  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",',
      '  "contentVersion": "1.0.0.0",',
      '  "resources": [',
      {
        form: "ARM VM extension",
        code: [
          "    {",
          '      "type": "Microsoft.Compute/virtualMachines/extensions",',
          '      "apiVersion": "2023-03-01",',
          "      \"name\": \"[concat(parameters('vmName'), '/{{TYPE_LINUX}}')]\",",
          '      "location": "[resourceGroup().location]",',
          '      "properties": {',
          '        "publisher": "{{PUBLISHER}}",',
          '        "type": "{{TYPE_LINUX}}",',
          '        "typeHandlerVersion": "1.0",',
          '        "autoUpgradeMinorVersion": true,',
          '        "settings": { "port": {{PORT}} }',
          "      }",
          "    }",
        ].join("\n"),
      },
      "  ]",
      "}",
    ],
  },
  {
    path: "planted/bicep/vm-extension.bicep",
    segments: [
      "param vmName string",
      "param location string = resourceGroup().location",
      "",
      {
        form: "Bicep VM extension",
        code: [
          "resource msiExtension 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {",
          "  name: '${vmName}/{{TYPE_WINDOWS}}'",
          "  location: location",
          "  properties: {",
          "    publisher: '{{PUBLISHER}}'",
          "    type: '{{TYPE_WINDOWS}}'",
          "    typeHandlerVersion: '1.0'",
          "    autoUpgradeMinorVersion: true",
          "    settings: {",
          "      port: {{PORT}}",
          "    }",
          "  }",
          "}",
        ].join("\n"),
      },
    ],
  },
  {
    path: "planted/terraform/main.tf",
    segments: [
      {
        form: "Terraform azurerm_virtual_machine_extension",
        code: [
          'resource "azurerm_virtual_machine_extension" "msi" {',
          '  name                 = "{{TYPE_LINUX}}"',
          "  virtual_machine_id   = azurerm_linux_virtual_machine.vm.id",
          '  publisher            = "{{PUBLISHER}}"',
          '  type                 = "{{TYPE_LINUX}}"',
          '  type_handler_version = "1.0"',
          "  settings             = <<SETTINGS",
          '    {"port": {{PORT}}}',
          "  SETTINGS",
          "}",
        ].join("\n"),
      },
    ],
  },
  {
    path: "planted/decoys/measurements.json",
    decoy: "a longer number that merely starts with the port",
    segments: ['{ "samples": [1200, 8871, {{PORT}}878, 4410], "checksum": "{{ALT_PORT}}9911" }'],
  },
  {
    path: "planted/decoys/arc-token.js",
    decoy: "Azure Arc's own loopback endpoint",
    segments: [
      'const ARC_TOKEN_URL = "http://{{LOOPBACK}}:{{ARC_PORT}}/metadata/identity/oauth2/token?api-version=2019-11-01";',
      "module.exports = { ARC_TOKEN_URL };",
    ],
  },
  {
    path: "planted/decoys/app-service-token.ts",
    decoy: "App Service's MSI_ENDPOINT with MSI_SECRET",
    segments: [
      "export async function appServiceToken(resource: string): Promise<unknown> {",
      "  const url = `${process.env.MSI_ENDPOINT}?resource=${encodeURIComponent(resource)}&api-version=2017-09-01`;",
      '  const response = await fetch(url, { headers: { Secret: process.env.MSI_SECRET ?? "" } });',
      "  return response.json();",
      "}",
    ],
  },
  {
    path: "planted/decoys/already-imds.ts",
    decoy: "code that already calls IMDS",
    segments: [
      "export async function imdsToken(resource: string): Promise<unknown> {",
      "  const response = await fetch(" +
        "`{{IMDS_URL}}?api-version=2018-02-01&resource=${encodeURIComponent(resource)}`, " +
        '{ headers: { Metadata: "true" } });',
      "  return response.json();",
      "}",
    ],
  },
  ...CODEMOD_SHAPES,
];
