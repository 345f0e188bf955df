/* sws-ctl-output.h: how sipwsctl prints things */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* N of ".../Registration/N", 0 when the path ends otherwise. */
guint       sws_ctl_object_number        (const char *object_path);

/* "42s", "3m07s", "2h05m00s"; negative durations print as "0s". */
char       *sws_ctl_format_duration      (gint64 seconds);

/* The cached properties of a proxy as a{sv}, in the order of its
 * interface description (the XML's), so that JSON keys come out in a
 * stable order. (transfer full) */
GVariant   *sws_ctl_proxy_properties     (GDBusProxy *proxy);

/* The proxy's object as JSON: "path" and every property. */
JsonNode   *sws_ctl_proxy_to_json        (GDBusProxy *proxy);

/* Print JSON to stdout: pretty for one-shot commands, one line for
 * monitor. */
void        sws_ctl_print_json           (JsonNode *node,
                                          gboolean  pretty);

/* Rows of cells printed as aligned columns, each as wide as its widest
 * cell; the first row is the header. */
typedef struct _SwsCtlTable SwsCtlTable;

SwsCtlTable *sws_ctl_table_new           (guint        n_columns);
void         sws_ctl_table_free          (SwsCtlTable *table);
/* Add a row: exactly n_columns strings, copied; NULL or "" prints as
 * "-", so that every column has something to align on. */
void         sws_ctl_table_add           (SwsCtlTable *table,
                                          ...);
void         sws_ctl_table_print         (SwsCtlTable *table);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsCtlTable, sws_ctl_table_free)

G_END_DECLS
