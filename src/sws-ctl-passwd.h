/* sws-ctl-passwd.h: sipwsctl passwd: set a password in the users file */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Run "passwd [--file PATH] [--realm REALM] USER" (argv[0] is "passwd").
 * Needs no daemon. Returns the exit status: 0 done, 1 failure (a file
 * that cannot be read, parsed or written, an empty or mistyped password),
 * 2 bad usage. */
int sws_ctl_passwd (int    argc,
                    char **argv);

G_END_DECLS
