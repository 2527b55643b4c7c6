// The C boundary for ncursesw: wide-character curses plus small accessors for the macros and
// globals Swift cannot import (or rejects under strict concurrency). Only CursesTerminal uses it.
#ifndef MARQUEE_CNCURSES_SHIM_H
#define MARQUEE_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <ncursesw/term.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static inline WINDOW *mq_stdscr(void) { return stdscr; }
static inline int mq_lines(void) { return LINES; }
static inline int mq_cols(void) { return COLS; }
static inline int mq_colors(void) { return COLORS; }
static inline int mq_color_pairs(void) { return COLOR_PAIRS; }

static inline attr_t mq_attr_bold(void) { return A_BOLD; }
static inline attr_t mq_attr_dim(void) { return A_DIM; }
static inline attr_t mq_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t mq_attr_reverse(void) { return A_REVERSE; }

static inline int mq_key_f(int n) { return KEY_F(n); }
static inline mmask_t mq_click_mask(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline mmask_t mq_button1_pressed(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED; }

/// Draws one grapheme (a NUL-terminated wide string) with attributes and a colour pair.
static inline int mq_put(int y, int x, const wchar_t *text, attr_t attrs, short pair) {
    cchar_t cell;
    if (setcchar(&cell, text, attrs, pair, NULL) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

/// Reads one key or character; returns OK, KEY_CODE_YES or ERR like wget_wch.
static inline int mq_get(wint_t *out) { return wget_wch(stdscr, out); }

/// The UTF-8 check the locale set-up needs (nl_langinfo's result is not imported cleanly).
static inline int mq_codeset_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/// Whether the terminfo database describes `term`; unlike initscr, which prints ncurses' own
/// error and exits, this only answers.
static inline int mq_terminfo_known(const char *term) {
    int status = 0;
    TERMINAL *previous = cur_term;
    if (setupterm(term, STDOUT_FILENO, &status) != OK) return 0;
    TERMINAL *probe = set_curterm(previous);
    if (probe != NULL && probe != previous) del_curterm(probe);
    return 1;
}
#endif
