/* sws-fuzz.h: what every target in tests/fuzz provides and shares
 *
 * A target is a libFuzzer entry point. Built with -Dfuzzer=true it links
 * libFuzzer's main; otherwise sws-fuzz-main.c runs it once on every file
 * it is given, which is how `meson test --suite fuzz` replays the corpus.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

/* Called once before the first input. */
int  LLVMFuzzerInitialize   (int    *argc,
                             char ***argv);
/* One input; returns 0 (libFuzzer reserves other values). */
int  LLVMFuzzerTestOneInput (const uint8_t *data,
                             size_t         size);

/* Quiet logging (no per-message debug output slowing every run down),
 * with warnings and criticals fatal: hostile input must never make the
 * code log either (RFC-violating peers are not an operator's problem),
 * and a g_return_if_fail() that trips is a bug like any crash. */
void sws_fuzz_init_logging (void);

/* Assert that the slice (p, slice_len) lies inside (base, len): every
 * slice a parser hands out must stay inside what it parsed. A NULL p (an
 * absent value) passes. */
void sws_fuzz_assert_inside (const char *base,
                             gsize       len,
                             const char *p,
                             gsize       slice_len);

G_END_DECLS
