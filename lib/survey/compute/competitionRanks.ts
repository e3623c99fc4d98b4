/**
 * Standard competition ranks of values sorted high to low: ties share a rank and the next
 * rank skips (1, 2, 2, 4). `compare` orders two entries (negative: a ranks above b; 0: tie).
 *
 * @example competitionRanks([88, 84, 84, 59], (a, b) => b - a) // [1, 2, 2, 4]
 */
export function competitionRanks<T>(
  sorted: readonly T[],
  compare: (a: T, b: T) => number,
): number[] {
  const ranks: number[] = [];
  sorted.forEach((entry, index) => {
    ranks.push(
      index > 0 && compare(sorted[index - 1]!, entry) === 0 ? ranks[index - 1]! : index + 1,
    );
  });
  return ranks;
}
