const FILE_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  html: "text/html; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  svg: "image/svg+xml",
  png: "image/png",
  csv: "text/csv; charset=utf-8",
  json: "application/json",
};

/** A published file's media type, by its extension (the results API and the console serve the same files). */
export function fileType(name: string): string {
  return FILE_TYPES[name.split(".").pop() ?? ""] ?? "application/octet-stream";
}
