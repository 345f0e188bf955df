/* sws-ctl-output.c: how sipwsctl prints things
 *
 * Text for people (aligned columns, durations, state names) and JSON for
 * scripts, the latter always through sws-json.c so that it has the same
 * shape as every other JSON of the project.
 */

#define G_LOG_DOMAIN "sipwsctl"

#include "config.h"

#include "sws-ctl-output.h"
#include "sws-json.h"

guint
sws_ctl_object_number (const char *object_path)
{
  const char *slash = strrchr (object_path, '/');
  guint64 n;

  if (slash == NULL || !g_ascii_string_to_unsigned (slash + 1, 10, 1, G_MAXUINT, &n, NULL))
    return 0;
  return (guint) n;
}

char *
sws_ctl_format_duration (gint64 seconds)
{
  seconds = MAX (seconds, 0);
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT "h%02d" "m%02ds", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  if (seconds >= 60)
    return g_strdup_printf ("%" G_GINT64_FORMAT "m%02ds", seconds / 60, (int) (seconds % 60));
  return g_strdup_printf ("%" G_GINT64_FORMAT "s", seconds);
}

/* ---- JSON --------------------------------------------------------------- */

static gint
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GVariant *
sws_ctl_proxy_properties (GDBusProxy *proxy)
{
  GDBusInterfaceInfo *info = g_dbus_proxy_get_interface_info (proxy);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  if (info != NULL)
    {
      for (guint i = 0; info->properties != NULL && info->properties[i] != NULL; i++)
        {
          const char *name = info->properties[i]->name;
          g_autoptr(GVariant) value = g_dbus_proxy_get_cached_property (proxy, name);

          if (value != NULL)
            g_variant_builder_add (&builder, "{sv}", name, value);
        }
    }
  else
    {
      /* A proxy without a description: whatever the cache holds, sorted. */
      g_auto(GStrv) names = g_dbus_proxy_get_cached_property_names (proxy);

      if (names != NULL)
        g_qsort_with_data (names, (gint) g_strv_length (names), sizeof (char *),
                           compare_names, NULL);
      for (guint i = 0; names != NULL && names[i] != NULL; i++)
        {
          g_autoptr(GVariant) value = g_dbus_proxy_get_cached_property (proxy, names[i]);

          if (value != NULL)
            g_variant_builder_add (&builder, "{sv}", names[i], value);
        }
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

JsonNode *
sws_ctl_proxy_to_json (GDBusProxy *proxy)
{
  g_autoptr(GVariant) properties = sws_ctl_proxy_properties (proxy);

  return sws_json_object_from_properties (g_dbus_proxy_get_object_path (proxy), properties);
}

void
sws_ctl_print_json (JsonNode *node,
                    gboolean  pretty)
{
  g_autofree char *text = sws_json_to_string (node, pretty);

  /* g_print() flushes, which `monitor | jq` needs line by line. */
  g_print ("%s", text);
}

/* ---- tables ------------------------------------------------------------- */

struct _SwsCtlTable
{
  guint n_columns;
  GPtrArray *rows;   /* of GStrv */
};

SwsCtlTable *
sws_ctl_table_new (guint n_columns)
{
  SwsCtlTable *table = g_new0 (SwsCtlTable, 1);

  table->n_columns = n_columns;
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  return table;
}

void
sws_ctl_table_free (SwsCtlTable *table)
{
  g_ptr_array_unref (table->rows);
  g_free (table);
}

void
sws_ctl_table_add (SwsCtlTable *table,
                   ...)
{
  char **row = g_new0 (char *, table->n_columns + 1);
  va_list args;

  va_start (args, table);
  for (guint c = 0; c < table->n_columns; c++)
    {
      const char *cell = va_arg (args, const char *);

      row[c] = g_strdup (cell != NULL && *cell != '\0' ? cell : "-");
    }
  va_end (args);
  g_ptr_array_add (table->rows, row);
}

void
sws_ctl_table_print (SwsCtlTable *table)
{
  g_autofree glong *width = g_new0 (glong, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = table->rows->pdata[r];

      for (guint c = 0; c < table->n_columns; c++)
        width[c] = MAX (width[c], g_utf8_strlen (row[c], -1));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      char **row = table->rows->pdata[r];
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          g_string_append (line, row[c]);
          /* Two spaces between columns; none after the last. */
          if (c + 1 < table->n_columns)
            for (glong pad = g_utf8_strlen (row[c], -1); pad < width[c] + 2; pad++)
              g_string_append_c (line, ' ');
        }
      g_print ("%s\n", line->str);
    }
}
