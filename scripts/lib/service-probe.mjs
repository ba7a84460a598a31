#!/usr/bin/env node
// One real request to a test server, for the readiness checks of scripts/services/*.sh.
// Exits 0 when the server answered as expected, 1 otherwise (with the reason on stderr).
//
//   node service-probe.mjs http <url> [expected-status]          GET, default status 200
//   node service-probe.mjs azure-blob <blob-endpoint> <account> <base64-key>
//                                                                 List Containers signed with the shared key
import { createHmac } from "node:crypto";

const REQUEST_TIMEOUT_MS = 2000;

async function probeHttp(url, expectedStatus = "200") {
  const response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  await response.arrayBuffer();
  if (String(response.status) !== expectedStatus) {
    throw new Error(`GET ${url} answered ${response.status}, expected ${expectedStatus}`);
  }
}

// Shared Key authorization as the Blob service defines it: the string to sign is the verb, eleven
// standard headers (all empty for this GET), the x-ms-* headers and the canonicalized resource.
function sharedKeyAuthorization(account, key, url, msHeaders) {
  const canonicalHeaders = Object.keys(msHeaders)
    .sort()
    .map((name) => `${name}:${msHeaders[name]}\n`)
    .join("");
  const query = [...url.searchParams.keys()]
    .sort()
    .map((name) => `\n${name.toLowerCase()}:${url.searchParams.get(name)}`)
    .join("");
  const canonicalResource = `/${account}${url.pathname}${query}`;
  const stringToSign = `GET\n${"\n".repeat(11)}${canonicalHeaders}${canonicalResource}`;
  const signature = createHmac("sha256", Buffer.from(key, "base64"))
    .update(stringToSign, "utf8")
    .digest("base64");
  return `SharedKey ${account}:${signature}`;
}

async function probeAzureBlob(endpoint, account, key) {
  const url = new URL(`${endpoint.replace(/\/+$/, "")}/?comp=list`);
  const msHeaders = { "x-ms-date": new Date().toUTCString(), "x-ms-version": "2021-12-02" };
  const response = await fetch(url, {
    headers: { ...msHeaders, authorization: sharedKeyAuthorization(account, key, url, msHeaders) },
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const body = await response.text();
  if (response.status !== 200 || !body.includes("<EnumerationResults")) {
    throw new Error(`List Containers at ${endpoint} answered ${response.status}: ${body.slice(0, 300)}`);
  }
}

const probes = { http: probeHttp, "azure-blob": probeAzureBlob };
const [kind, ...args] = process.argv.slice(2);
const probe = probes[kind];
if (probe === undefined) {
  process.stderr.write(`usage: service-probe.mjs (${Object.keys(probes).join("|")}) <args...>\n`);
  process.exit(2);
}
try {
  await probe(...args);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
