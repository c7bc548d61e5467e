// The exit status of every outcome nmsparse decides itself, in one place (the README's "Exit
// codes" lists them). `nmsparse sim` otherwise passes the program's own exit code through.
export const ExitCode = {
  success: 0,
  /** A mistake in the command line or its input: a message names the thing. */
  userError: 1,
  /** `sim`: the program raised an exception (illegal instruction, access outside memory...). */
  simulationFault: 2,
  /** `sim`: the program was still running at the cycle limit. */
  cycleLimit: 3,
  /** `sim --engine compare`: the ISS and the CV32E40P RTL ran the program differently. */
  enginesDiffer: 4,
  /** A bug in nmsparse: EX_SOFTWARE of sysexits.h, as other Unix tools report theirs. */
  internalError: 70,
} as const;
