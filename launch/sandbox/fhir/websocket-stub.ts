/**
 * @medplum/core reads `WebSocket` while its module loads, and Node 20 has no global one without
 * `--experimental-websocket`. The sandbox never opens a socket, so a placeholder is enough.
 * Every module here that imports @medplum imports this file first.
 */
const scope = globalThis as { WebSocket?: unknown };

scope.WebSocket ??= class UnavailableWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  constructor() {
    throw new Error('WebSocket is not available in the sandbox FHIR server');
  }
};

export {};
