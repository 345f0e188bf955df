/* sws-json.c: JSON for the objects of the D-Bus API */

#include "config.h"

#include "sws-json.h"

char *
sws_json_key_from_property (const char *name)
{
  GString *key = g_string_sized_new (strlen (name) + 4);

  for (const char *p = name; *p != '\0'; p++)
    {
      /* A word starts at an uppercase letter after a lowercase one:
       * "CallId" has two words, "CSeq" one. */
      if (g_ascii_isupper (*p) && p > name && g_ascii_islower (p[-1]))
        g_string_append_c (key, '_');
      g_string_append_c (key, g_ascii_tolower (*p));
    }
  return g_string_free (key, FALSE);
}

static JsonNode *
node_from_variant (GVariant *value)
{
  JsonNode *node;

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH))
    {
      const char *path = g_variant_get_string (value, NULL);

      if (g_str_equal (path, "/"))
        return json_node_new (JSON_NODE_NULL);
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, path);
      return node;
    }
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING_ARRAY) ||
      g_variant_is_of_type (value, G_VARIANT_TYPE_OBJECT_PATH_ARRAY))
    {
      JsonArray *array = json_array_new ();
      GVariantIter iter;
      const char *item;

      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "&s", &item))
        json_array_add_string_element (array, item);
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
      return node;
    }
  /* Strings, integers (a µs timestamp fits a double exactly), doubles
   * and booleans map one to one. */
  node = json_gvariant_serialize (value);
  return node;
}

JsonNode *
sws_json_object_from_properties (const char *object_path,
                                 GVariant   *properties)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  GVariantIter iter;
  const char *name;
  GVariant *value;

  if (object_path != NULL)
    json_object_set_string_member (object, "path", object_path);
  if (properties != NULL)
    {
      g_variant_iter_init (&iter, properties);
      while (g_variant_iter_next (&iter, "{&sv}", &name, &value))
        {
          g_autofree char *key = sws_json_key_from_property (name);

          json_object_set_member (object, key, node_from_variant (value));
          g_variant_unref (value);
        }
    }
  json_node_take_object (node, object);
  return node;
}

char *
sws_json_to_string (JsonNode *node,
                    gboolean  pretty)
{
  g_autofree char *text = json_to_string (node, pretty);

  return g_strconcat (text, "\n", NULL);
}
