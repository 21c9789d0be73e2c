// Preload for test children (`node --import tsx --import ./test/fakes/redirect-imds.ts …`): every TCP or TLS
// connection in the process — node:http/https, the global fetch and undici, axios, got, request, superagent —
// goes through net.Socket.prototype.connect, so wrapping it sees them all. 169.254.169.254:80 and the
// extension's ports are sent to the fakes, loopback passes, and anything else is refused before a packet leaves.
// The policy and the environment variables it reads are in connection-policy.ts.
import { appendFileSync } from "node:fs";
import net from "node:net";
import { REDIRECT_ENV, REDIRECT_TARGET_HOST, decideConnection, type ConnectionLogEntry } from "./connection-policy.js";

type ConnectCallback = () => void;
type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;

interface TcpTarget {
  options: net.TcpSocketConnectOpts;
  callback?: ConnectCallback;
}

/** Reads the forms connect() accepts: (options, cb), (port, host?, cb), and net's own pre-normalized [options, cb]. */
function tcpTarget(args: unknown[]): TcpTarget | undefined {
  const [first, second, third] = Array.isArray(args[0]) ? (args[0] as unknown[]) : args;
  const callback = [second, third].find((value): value is ConnectCallback => typeof value === "function");
  if (typeof first === "object" && first !== null) {
    const options = first as net.SocketConnectOpts;
    return "path" in options && options.path ? undefined : { options: options as net.TcpSocketConnectOpts, callback };
  }
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first))) {
    return { options: { port: Number(first), host: typeof second === "string" ? second : "localhost" }, callback };
  }
  return undefined; // an IPC path: local by definition
}

function log(entry: ConnectionLogEntry): void {
  const file = process.env[REDIRECT_ENV.logFile];
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

const originalConnect = net.Socket.prototype.connect as Connect;

function guardedConnect(this: net.Socket, ...args: unknown[]): net.Socket {
  const target = tcpTarget(args);
  if (!target) return originalConnect.apply(this, args);
  const host = target.options.host ?? "localhost";
  const port = Number(target.options.port);
  const decision = decideConnection(host, port, process.env);
  switch (decision.action) {
    case "loopback":
      log({ host, port, action: "loopback" });
      return originalConnect.apply(this, args);
    case "redirect":
      log({ host, port, action: "redirect", to: decision.port });
      return originalConnect.call(
        this,
        { ...target.options, host: REDIRECT_TARGET_HOST, port: decision.port },
        target.callback,
      );
    case "refuse": {
      log({ host, port, action: "refuse" });
      const error = Object.assign(
        new Error(`redirect-imds refused a connection to ${host}:${port}: ${decision.reason}`),
        {
          code: "ECONNREFUSED",
          address: host,
          port,
        },
      );
      process.stderr.write(`${error.message}\n`);
      // Asynchronously, like a real refusal: the client attaches its error handler after connect() returns.
      process.nextTick(() => this.destroy(error));
      return this;
    }
  }
}

net.Socket.prototype.connect = guardedConnect as typeof net.Socket.prototype.connect;
