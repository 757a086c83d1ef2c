/**
 * The service cannot start as configured (bad settings, a port or data directory it cannot have): `npm start`
 * prints the message on one line and exits 2, never a stack.
 */
export class StartupError extends Error {
  override name = "StartupError";
}
