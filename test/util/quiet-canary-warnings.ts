// Jest setup: the CanaryWarnings the tests provoke on purpose are asserted through `warnings`
// (port-hints.test.ts replaces emitWarning to check that they are emitted); printing each one
// would bury the warnings that are news. Every other warning still prints.
const emit = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, options?: unknown, ...rest: unknown[]) => {
  const type = typeof options === 'string' ? options : (options as { type?: string } | undefined)?.type;
  if (type === 'CanaryWarning') return;
  (emit as (...args: unknown[]) => void)(warning, options, ...rest);
}) as typeof process.emitWarning;
