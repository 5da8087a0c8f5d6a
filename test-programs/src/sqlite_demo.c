/* The large real program of the symbols tests: SQLite (amalgamation, -O2) running a query. */
#include <stdio.h>
#include "sqlite3.h"

static int print_row(void *unused, int columns, char **values, char **names)
{
    (void)unused;
    for (int i = 0; i < columns; i++)
        printf("%s=%s%s", names[i], values[i] ? values[i] : "NULL", i + 1 < columns ? " " : "\n");
    return 0;
}

int main(void)
{
    sqlite3 *db;
    char *error = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return 1;
    int rc = sqlite3_exec(db, "create table t(x, y); insert into t values (1, 'one'), (2, 'two');"
                              "select x, y from t order by x desc;", print_row, NULL, &error);
    if (rc != SQLITE_OK)
        fprintf(stderr, "sqlite: %s\n", error);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : 1;
}
