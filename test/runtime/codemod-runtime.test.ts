// Runtime proof for the codemod (issue 2): every fixture pair in fixtures/no-extension-endpoint/ that the codemod
// changes is run for real. The input must get the fake extension's token; the output must get the fake IMDS's
// token for the same resource and identity, with only requests IMDS accepts, and nothing may leave loopback.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../fakes/redirected-child.js";
import { checkPair, findFixturePairs, isMigration, takesClientId, USER_ASSIGNED_CLIENT_ID } from "./fixture-runtime.js";

const FIXTURE_DIR = join(REPO_ROOT, "fixtures", "no-extension-endpoint");
const pairs = existsSync(FIXTURE_DIR) ? findFixturePairs(FIXTURE_DIR) : [];

describe("codemod fixtures run against the fakes", { concurrency: 2 }, () => {
  test("fixtures/no-extension-endpoint holds migrations to prove", () => {
    assert.ok(pairs.filter(isMigration).length > 0, `no changed input/output pairs in ${FIXTURE_DIR}`);
  });

  for (const pair of pairs) {
    const migration = isMigration(pair);
    test(pair.name, { skip: migration ? false : "output equals input: not a migration" }, async () => {
      const { problems } = await checkPair(pair);
      assert.deepEqual(problems, [], `${pair.name}:\n  ${problems.join("\n  ")}`);
    });
    if (migration && takesClientId(pair)) {
      test(`${pair.name}, user-assigned`, async () => {
        const { problems } = await checkPair(pair, USER_ASSIGNED_CLIENT_ID);
        assert.deepEqual(problems, [], `${pair.name} with a client id:\n  ${problems.join("\n  ")}`);
      });
    }
  }
});
