import packageJson from "../package.json" with { type: "json" };

/** The code version recorded in results: package version, plus the commit when the build knows it. */
export function codeVersion(env: NodeJS.ProcessEnv = process.env): string {
  const commit = env.ASYE_GIT_COMMIT;
  return commit ? `${packageJson.version}+${commit.slice(0, 12)}` : packageJson.version;
}
