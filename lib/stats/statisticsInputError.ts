/** The one error every statistical function throws on invalid input (negative or fractional counts, empty groups…). */
export class StatisticsInputError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StatisticsInputError";
  }
}
