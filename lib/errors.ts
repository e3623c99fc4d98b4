/** A cycle configuration that does not validate; `problems` name each path and what was expected. */
export class CycleConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
    options?: ErrorOptions,
  ) {
    super(`${source} is not a valid cycle configuration:\n  - ${problems.join("\n  - ")}`, options);
    this.name = "CycleConfigError";
  }
}

/** An export that cannot be ingested at all (unknown cycle or group, missing columns, empty, not CSV). */
export class FileRejectedError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${reason}`, options);
    this.name = "FileRejectedError";
  }
}

/** The cycle named in a key or request has no configuration in storage. */
export class UnknownCycleError extends Error {
  constructor(
    readonly cycleId: string,
    options?: ErrorOptions,
  ) {
    super(`unknown cycle "${cycleId}": no cycle configuration is stored for it`, options);
    this.name = "UnknownCycleError";
  }
}

/** Another worker holds the lease on this upload; the delivery should be retried later. */
export class UploadBusyError extends Error {
  constructor(
    readonly uploadKey: string,
    options?: ErrorOptions,
  ) {
    super(`${uploadKey} is being ingested by another worker`, options);
    this.name = "UploadBusyError";
  }
}
