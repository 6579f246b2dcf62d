/* tests/unit/tree-remove.h — removing a test's temporary directory tree.
 * Owns: recursive removal that never follows a symlink (it removes the link itself).
 * Must not: be used outside tests. */
#pragma once

/* Removes path and everything below it; missing paths are fine. */
void test_tree_remove(const char *path);
