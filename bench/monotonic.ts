/** Milliseconds on the machine's monotonic clock (CLOCK_MONOTONIC), the same in every process: one process's instant can be compared with another's. */
export const monotonicMs = () => Number(process.hrtime.bigint() / 1000n) / 1000;
