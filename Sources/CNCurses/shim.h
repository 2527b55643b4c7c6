// The C boundary for ncursesw: terminal set-up, keys and terminfo strings, plus small accessors
// for the macros and globals Swift cannot import (or rejects under strict concurrency). Only
// CursesTerminal uses it.
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

static inline int mq_key_f(int n) { return KEY_F(n); }
static inline mmask_t mq_click_mask(void) { return BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED; }
static inline mmask_t mq_button1_pressed(void) { return BUTTON1_PRESSED | BUTTON1_CLICKED; }

/// Reads one key or character from `window`; returns OK, KEY_CODE_YES or ERR like wget_wch.
static inline int mq_get(WINDOW *window, wint_t *out) { return wget_wch(window, out); }

/// A terminfo string capability of the current terminal, or NULL when it has none.
static inline const char *mq_string_capability(const char *name) {
    char *value = tigetstr(name);
    return (value == NULL || value == (char *)-1) ? NULL : value;
}

/// A terminfo boolean capability of the current terminal.
static inline int mq_flag_capability(const char *name) { return tigetflag(name) > 0; }

/// A capability with one or two numeric parameters filled in (a static buffer: copy it at once).
static inline const char *mq_parameterized1(const char *capability, int a) { return tiparm(capability, a); }
static inline const char *mq_parameterized2(const char *capability, int a, int b) { return tiparm(capability, a, b); }

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
