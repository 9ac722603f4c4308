// The Python part of `doctor`: the toolchain that imports Keras/TensorFlow models and records their
// reference outputs (not needed by `run` or `npm test` on committed goldens).
import { pythonRequired, pythonToolchainStatus, REQUIRE_PYTHON_ENV, type PythonToolchainStatus } from '../import/python-toolchain.ts';

export interface PythonDoctorOutcome {
  status: PythonToolchainStatus;
  /** Required by TFJS_REPRO_REQUIRE_PYTHON=1 but not usable. */
  missing: boolean;
}

export function describePython(): PythonDoctorOutcome {
  const status = pythonToolchainStatus();
  return { status, missing: !status.usable && pythonRequired() };
}

export function pythonDoctorLines(o: PythonDoctorOutcome): string[] {
  const s = o.status;
  const lines = [
    s.usable
      ? `✔ python         usable: ${Object.entries(s.versions)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')} (${s.python})`
      : `✘ python         not usable (only import and reference recording need it): ${s.reason}`,
  ];
  if (o.missing) lines.push(`required by ${REQUIRE_PYTHON_ENV}=1 but not usable: python`);
  return lines;
}
