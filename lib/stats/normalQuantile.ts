import quantile from "@stdlib/stats-base-dists-normal-quantile";

const Z_975 = quantile(0.975, 0, 1);

/** The standard normal 97.5% quantile (1.959964…), for 95% intervals. */
export function normalQuantile975(): number {
  return Z_975;
}
