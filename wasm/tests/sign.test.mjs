// Signed codes in the shipped package (wasm/pkg): TrustList and verify()
// on every threat of issue 9, through real symbols (encode -> RGBA pixels
// -> decode -> verify), with the test keys of fixtures/signed.json.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

import { TrustList, decode, encode, init, verify } from "../pkg/civiqr.js";

const fx = JSON.parse(await readFile(new URL("./fixtures/signed.json", import.meta.url), "utf8"));
const today = new Date(`${fx.today}T12:00:00Z`);

// The code holding `text` as a camera would read it.
function scanned(text) {
  const code = encode(text);
  const side = code.size + 8;
  const scale = 3;
  const w = side * scale;
  const data = new Uint8Array(w * w * 4).fill(255);
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) {
      if (!code.modules[y * code.size + x]) continue;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const i = (((y + 4) * scale + dy) * w + (x + 4) * scale + dx) * 4;
          data[i] = data[i + 1] = data[i + 2] = 0;
        }
      }
    }
  }
  const [found] = decode({ data, width: w, height: w });
  assert.equal(found.text, text);
  return found;
}

test("a TrustList needs init() and reads trust files as text or objects", async () => {
  assert.throws(() => new TrustList(fx.trust), /await init\(\) first/);
  await init();
  const fromObject = new TrustList(fx.trust);
  const fromText = new TrustList(JSON.stringify(fx.trust));
  assert.deepEqual(fromObject.keyIds, [fx.keyId]);
  assert.equal(fromText.size, 1);
  // Several files merge; an empty one is fine.
  assert.equal(new TrustList([fx.trust, {}]).size, 1);
});

test("a signed code verifies with its issuer; an unsigned one is unsigned", async () => {
  await init();
  const trust = new TrustList(fx.trust);
  const v = trust.verify(scanned(fx.signed), { today });
  assert.deepEqual(v, { status: "valid", issuer: fx.issuer, keyId: fx.keyId, summary: `verified: ${fx.issuer}` });
  assert.equal(verify(fx.signed, trust).status, "valid"); // today by default
  assert.equal(verify(new TextEncoder().encode(fx.signed), trust, { today }).status, "valid");
  assert.deepEqual(trust.verify(scanned(fx.unsigned), { today }), {
    status: "unsigned", issuer: undefined, keyId: undefined, summary: "unsigned",
  });
});

test("forged codes: changed URL, replayed, truncated, second payload, unknown and expired keys", async () => {
  await init();
  const trust = new TrustList(fx.trust);
  for (const threat of ["replayed", "changedQuery", "truncated", "secondPayload"]) {
    const v = trust.verify(scanned(fx[threat]), { today });
    assert.equal(v.status, "invalid", threat);
    assert.equal(v.issuer, undefined, threat);
    assert.equal(v.summary, "signature invalid: do not trust", threat);
  }
  // One character, case, and a fragment added before the tag.
  const oneChar = fx.signed.replace("0042", "0041");
  const upper = fx.signed.replace("saint-omer", "SAINT-OMER");
  const fragment = fx.signed.replace("#CQ2", "#pay#CQ2");
  for (const forged of [oneChar, upper, fragment]) {
    assert.equal(trust.verify(scanned(forged), { today }).status, "invalid", forged);
  }
  const unknown = trust.verify(scanned(fx.unknownKey), { today });
  assert.equal(unknown.status, "unknown_key");
  assert.equal(unknown.issuer, undefined);
  const expired = new TrustList(fx.expiredTrust).verify(scanned(fx.signed), { today });
  assert.equal(expired.status, "expired");
  assert.equal(expired.issuer, fx.issuer);
});

test("malformed trust files throw Errors naming the key and field", async () => {
  await init();
  const entry = fx.trust[fx.keyId];
  assert.throws(() => new TrustList("{"), /trust file 1: line 1 column 2/);
  assert.throws(
    () => new TrustList(fx.trust, { [fx.keyId]: { ...entry, not_afer: "2030-01-01" } }),
    new RegExp(`trust file 2: key "${fx.keyId}": field "not_afer"`),
  );
  assert.throws(() => new TrustList({ [fx.keyId]: { ...entry, public_key: "00" } }), /field "public_key"/);
  assert.throws(() => new TrustList(42), /trust file 1 must be JSON/);
  assert.throws(() => new TrustList(fx.trust).verify(42), /verify\(\) takes/);
  assert.throws(() => new TrustList(fx.trust).verify(fx.signed, { today: new Date("nope") }), /valid Date/);
  // The module still works afterwards.
  assert.equal(new TrustList(fx.trust).verify(fx.signed, { today }).status, "valid");
});

test("codes and trust files of the first scheme (#CQ1, 5-character key ids) still verify", async () => {
  await init();
  const trust = new TrustList(fx.legacy.trust);
  // Held, and listed, under the full 16-character key id.
  assert.deepEqual(trust.keyIds, [fx.keyId]);
  assert.ok(fx.keyId.startsWith(fx.legacy.keyId));
  const v = trust.verify(scanned(fx.legacy.signed), { today });
  assert.deepEqual([v.status, v.keyId], ["valid", fx.legacy.keyId]);
  assert.equal(trust.verify(scanned(fx.legacy.replayed), { today }).status, "invalid");
  // The same key from an old and a new trust file is one entry.
  assert.equal(new TrustList([fx.trust, fx.legacy.trust]).size, 1);
  assert.equal(new TrustList(fx.trust).verify(fx.legacy.signed, { today }).status, "valid");
});
