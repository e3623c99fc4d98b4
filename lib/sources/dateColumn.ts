import { parseDateTime } from "./parseDateTime.ts";
import type { DateOrder } from "./sourceSchema.ts";

/** The orders a date can be read in, as bits: day first, month first (both: either, or a form without that question, such as ISO). */
export const DATE_ORDER_BITS = { dmy: 1, mdy: 2, either: 3 } as const;

/** The orders a completion time can be read in ({@link DATE_ORDER_BITS}), 0 when it is no date in either. */
export function dateOrdersOf(text: string): number {
  return (parseDateTime(text, "dmy") ? DATE_ORDER_BITS.dmy : 0) | (parseDateTime(text, "mdy") ? DATE_ORDER_BITS.mdy : 0);
}

/** A row whose date can only be read one way: the first seen, shown in the refusal. */
interface Example {
  row: number;
  value: string;
}

/**
 * What one date column's values say about their order, read as the file streams: the first
 * value that can only be day first (13/12/2019), the first that can only be month first
 * (12/13/2019), and how many that could be either were read in the source's order. At the end
 * the order is settled from the whole column ({@link settle}), or the file is refused naming
 * `dateOrder`: no date is ever read swapped.
 */
export class DateColumn {
  private readonly only: Partial<Record<DateOrder, Example>> = {};
  /** Values read in the source's order that the other order reads as another day (1/9/2020). */
  private eitherWay = 0;

  constructor(
    /** The column's header, named in the refusal. */
    readonly header: string,
    /** The order values are read in until the column settles it: the cycle file's, or the tool's default. */
    readonly order: DateOrder,
    /** Whether the cycle file said the order (then a value that contradicts it refuses the file). */
    readonly declared: boolean,
  ) {}

  /** Notes one value's orders (bits of {@link DATE_ORDER_BITS}); `value` is made only for the first example of each. */
  note(row: number, orders: number, value: () => string): void {
    if (orders === DATE_ORDER_BITS.dmy) this.only.dmy ??= { row, value: value() };
    else if (orders === DATE_ORDER_BITS.mdy) this.only.mdy ??= { row, value: value() };
  }

  /**
   * The order a value is read in, as a date (for columns whose dates are kept): the source's
   * when the value can be read so, else the only one it can be; undefined when neither.
   * Counts values the other order would read as another day.
   */
  read(row: number, text: string): ReturnType<typeof parseDateTime> {
    const orders = dateOrdersOf(text);
    this.note(row, orders, () => text);
    if (orders === 0) return undefined;
    const other: DateOrder = this.order === "dmy" ? "mdy" : "dmy";
    const when = parseDateTime(text, orders & DATE_ORDER_BITS[this.order] ? this.order : other);
    if (orders === DATE_ORDER_BITS.either) {
      const otherWay = parseDateTime(text, other);
      if (otherWay && (otherWay.day !== when!.day || otherWay.month !== when!.month)) this.eitherWay++;
    }
    return when;
  }

  /**
   * The column's order, settled from all its values: the only order its values allow, else the
   * source's. Gives a refusal naming `dateOrder` with an example row when values need both
   * orders, contradict the order the cycle file declares or, where dates are kept
   * (`keepsDates`), show the source's order read some values swapped.
   */
  settle(keepsDates: boolean): { order: DateOrder; inferred: boolean } | { refusal: string } {
    const { dmy, mdy } = this.only;
    const say = (e: Example, order: string) => `row ${e.row}: "${e.value}" can only be ${order}`;
    const fix = `set "dateOrder" ("dmy" or "mdy") in the group's source to the order the export uses, and correct the rows that disagree`;
    if (dmy && mdy) return { refusal: `dates in "${this.header}" are written both ways (${say(dmy, "day first")}; ${say(mdy, "month first")}): ${fix}` };
    const against = this.order === "dmy" ? mdy : dmy;
    const otherOrder: DateOrder = this.order === "dmy" ? "mdy" : "dmy";
    if (!against) return { order: this.order, inferred: false };
    const found = say(against, otherOrder === "dmy" ? "day first" : "month first");
    if (this.declared) return { refusal: `dates in "${this.header}" are not in the declared "dateOrder": "${this.order}" (${found}): ${fix}` };
    if (keepsDates && this.eitherWay > 0) {
      return { refusal: `dates in "${this.header}" look ${otherOrder === "dmy" ? "day" : "month"} first (${found}), but ${this.eitherWay} could be read either way and were read as the tool's default "${this.order}": set "dateOrder": "${otherOrder}" in the group's source` };
    }
    return { order: otherOrder, inferred: true };
  }
}
