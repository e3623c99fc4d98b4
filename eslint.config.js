import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".sst/", ".local/", ".scratch/", "out/", "bench/data/", "sst.config.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "it", property: "only", message: "no focused tests" },
        { object: "it", property: "skip", message: "no skipped tests" },
        { object: "describe", property: "only", message: "no focused tests" },
        { object: "describe", property: "skip", message: "no skipped tests" },
      ],
    },
  },
);
