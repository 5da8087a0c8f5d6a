/* Built into libnodebug.so without debug information: calls to it find only the ELF symbol. */
long nodebug_twice(long x) { return 2 * x; }
