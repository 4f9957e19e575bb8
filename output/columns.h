/* columns.h — what every table and column of the results file means, and
 * its unit: the one place the schema is documented. The writer stores it in
 * the file (per table: `description`; per column, in the compound's field
 * order: `columns`, `units`, `descriptions`, arrays of strings), and
 * `incubsim schema` prints it (output/SCHEMA.md is that print, checked by a
 * test to match). */
#ifndef INCUBSIM_COLUMNS_H
#define INCUBSIM_COLUMNS_H

#include <stdio.h>

struct column_doc {
    const char *name, *unit, *doc;
};

/* The table's one-line description, or NULL for an unknown table. */
const char *columns_table_doc(const char *table);
/* A column's documentation, or NULL. The KPIs of /runs come from the
 * model's list; /design's levers are documented as a kind. */
const struct column_doc *columns_find(const char *table, const char *column,
                                      struct column_doc *scratch);
/* The i-th documented column of a table (the KPIs of /runs included), or
 * NULL past the last: what a part's table must hold to be joined. */
const char *columns_name(const char *table, size_t i);
/* The schema in Markdown: tables, columns, units, meanings, root attributes. */
void columns_print_schema(FILE *out);

#endif
