# The R anchor of `npm run bench`: the bench's export through data.table on one thread, from the
# CSV file to the figures our compute gives: fread, answer counts per item by ethnicity group,
# and the 80 chi-square tests of the bench's comparisons (each item's positive share and its
# whole distribution, white vs minoritised). Prints one JSON line: seconds and tests run.
# Run: Rscript bench/anchors/datatable.R bench/data/export-1000000.csv
suppressPackageStartupMessages(library(data.table))
setDTthreads(1)
file <- commandArgs(trailingOnly = TRUE)[1]
started <- proc.time()[["elapsed"]]
export <- fread(file, encoding = "UTF-8", na.strings = NULL, showProgress = FALSE)
items <- grep("^Q[0-9]+ ", names(export), value = TRUE)
export[, group := fifelse(Ethnicity == "White", "white", fifelse(Ethnicity %chin% c("Black", "Asian", "Mixed"), "minoritised", NA_character_))]
long <- melt(export[!is.na(group)], id.vars = "group", measure.vars = items, variable.name = "item", value.name = "answer", variable.factor = FALSE)
counts <- long[answer != "" & answer != "Don't know", .N, by = .(item, answer, group)]
positive <- c("Strongly agree", "Agree")
tests <- 0L
for (one in items) {
  table <- dcast(counts[item == one], answer ~ group, value.var = "N", fill = 0L)
  m <- as.matrix(table[, .(white, minoritised)])
  share <- rbind(colSums(m[table$answer %chin% positive, , drop = FALSE]), colSums(m[!table$answer %chin% positive, , drop = FALSE]))
  invisible(suppressWarnings(chisq.test(share, correct = FALSE)$p.value))
  invisible(suppressWarnings(chisq.test(m, correct = FALSE)$p.value))
  tests <- tests + 2L
}
cat(sprintf('{"seconds": %.3f, "tests": %d}\n', proc.time()[["elapsed"]] - started, tests))
