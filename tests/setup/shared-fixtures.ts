import { inject } from "vitest";
import { SWEEP_DIR_ENV } from "../support/browser";
import { SEEDED_DATA_DIR_ENV } from "../support/server";

// The support modules read these from the environment, so bench scripts that share them (and run
// outside vitest) simply start fresh and sweep on their own.
process.env[SEEDED_DATA_DIR_ENV] = inject("seededDataDir");
process.env[SWEEP_DIR_ENV] = inject("sweepDir");
