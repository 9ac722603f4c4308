/** A check that cannot run on a configuration (e.g. a kernel the backend lacks): not a pass, not a crash. */
export class NotApplicable extends Error {}
