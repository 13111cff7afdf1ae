/**
 * @medplum/core reads `globalThis.WebSocket` while its module loads and Node 20 has none without
 * a flag. The cohort tests only use its validator, so an inert class is enough; import this
 * module before @medplum/core.
 */
const scope = globalThis as { WebSocket?: unknown };
scope.WebSocket ??= class WebSocketUnavailable {};

export {};
