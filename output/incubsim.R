# incubsim.R — read_incubsim(): an incubsim results file's table as a data frame, decoded,
# with its units attached.
#
#   source("/usr/local/share/incubsim/R/incubsim.R")     # installed by make install
#   runs <- read_incubsim("results/run.h5")               # /runs
#   attr(runs$net_fiscal, "units")                        # "yuan (PV)"
#   attr(runs, "units")[["tax"]]                          # the same, by name
#   table(runs$status)                                     # enums are factors
#   incubsim_tables("results/run.h5")                     # the tables of the file
#
# Strings come back as character (NUL padding dropped), HDF5 enums as factors of their
# names (numbered from 1 in the file, so hdf5r makes plain factors), every column carries
# its unit (attribute "units") and meaning ("description") from the table's attributes;
# the data frame carries "units" and "descriptions" (named character vectors), the table's
# "description" and its other attributes ("table": a sizing's answer, the ICER's method).
# Needs hdf5r (Debian: r-cran-hdf5r).

incubsim_tables <- function(path) {
  f <- hdf5r::H5File$new(path, mode = "r")
  on.exit(f$close_all())
  sort(hdf5r::list.datasets(f, recursive = FALSE))
}

read_incubsim <- function(path, table = "runs") {
  f <- hdf5r::H5File$new(path, mode = "r")
  on.exit(f$close_all())
  if (!f$exists(table))
    stop(sprintf("%s has no table /%s (it has: %s)", path, table,
                 paste(hdf5r::list.datasets(f, recursive = FALSE), collapse = ", ")))
  d <- f[[table]]
  df <- d$read()
  if (!is.data.frame(df))
    stop(sprintf("/%s of %s is not a table", table, path))
  a <- hdf5r::h5attributes(d)
  cols <- if (is.null(a$columns)) names(df) else a$columns
  units <- setNames(if (is.null(a$units)) rep("", length(cols)) else a$units, cols)
  docs <- setNames(if (is.null(a$descriptions)) rep("", length(cols)) else a$descriptions, cols)
  for (col in names(df)) {
    if (inherits(df[[col]], "factor_ext"))   # a file of an older version: enum from 0
      df[[col]] <- factor(as.character(df[[col]]), levels = levels(df[[col]]))
    u <- if (col %in% names(units)) units[[col]] else ""
    attr(df[[col]], "units") <- u
    attr(df[[col]], "description") <- if (col %in% names(docs)) docs[[col]] else ""
  }
  attr(df, "units") <- units[names(df)]
  attr(df, "descriptions") <- docs[names(df)]
  attr(df, "description") <- if (is.null(a$description)) "" else a$description
  attr(df, "table") <- a[setdiff(names(a), c("columns", "units", "descriptions", "description"))]
  df
}
