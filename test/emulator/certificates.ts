import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// A throwaway CA and a server certificate for 127.0.0.1 / localhost, made with openssl at start: the SDK
// sends bearer tokens only over https, and TLS checks are never turned off. Spawned CLIs trust the CA
// through NODE_EXTRA_CA_CERTS=caPath; in-process clients through tlsOptions: { ca: caPem }. One set serves every
// emulator a test process starts (they all listen on 127.0.0.1): making keys costs more than a test's requests.

export interface EmulatorCertificates {
  caPath: string;
  caPem: string;
  key: string;
  cert: string;
}

let shared: EmulatorCertificates | undefined;

/** This process's certificates, made on first use; their folder goes when the process exits. */
export function emulatorCertificates(): EmulatorCertificates {
  shared ??= makeCertificates();
  return shared;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function makeCertificates(): EmulatorCertificates {
  const dir = mkdtempSync(join(tmpdir(), "msi2imds-emulator-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  openssl(
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=msi2imds emulator CA",
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ],
    dir,
  );
  openssl(
    [
      "req",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-subj",
      "/CN=127.0.0.1",
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
    ],
    dir,
  );
  writeFileSync(
    join(dir, "server.ext"),
    "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "server.ext",
      "-out",
      "server.pem",
    ],
    dir,
  );
  return {
    caPath: join(dir, "ca.pem"),
    caPem: readFileSync(join(dir, "ca.pem"), "utf8"),
    key: readFileSync(join(dir, "server.key"), "utf8"),
    cert: readFileSync(join(dir, "server.pem"), "utf8"),
  };
}
