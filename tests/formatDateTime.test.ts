import { describe, expect, it } from "vitest";
import { formatDateTime, formatLongDate } from "../lib/time/formatDateTime.ts";

describe("times as the reports state them", () => {
  it("gives an instant in UK time, named GMT in winter and BST in summer", () => {
    expect(formatDateTime("2025-01-01T23:30:00Z")).toBe("1 January 2025 at 23:30 GMT");
    expect(formatDateTime("2025-07-01T09:05:00Z")).toBe("1 July 2025 at 10:05 BST");
  });

  it("changes name at the clocks' change, and keeps the date of the zone, not of UTC", () => {
    expect(formatDateTime(new Date("2025-03-30T00:59:00Z"))).toBe("30 March 2025 at 00:59 GMT");
    expect(formatDateTime(new Date("2025-03-30T01:00:00Z"))).toBe("30 March 2025 at 02:00 BST");
    expect(formatDateTime("2025-06-30T23:30:00Z")).toBe("1 July 2025 at 00:30 BST");
  });

  it("uses another zone when named, and writes dates in words", () => {
    expect(formatDateTime("2025-06-30T23:30:00Z", "UTC")).toBe("30 June 2025 at 23:30 UTC");
    expect(formatLongDate("2025-02-21")).toBe("21 February 2025");
  });
});
