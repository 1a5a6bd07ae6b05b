/*
 * The default locale of a native image (svm's LocaleCHelper): the process's locale from the
 * environment (LC_ALL, LC_CTYPE/LC_MESSAGES, LANG) split the way the JDK splits it
 * (java_props_md.c): "ll_CC.encoding@modifier"; the format locale from LC_CTYPE, the display
 * locale from LC_MESSAGES; C and POSIX are en_US, C.UTF-8 is en, as on a JVM. musl accepts any
 * locale name, so a name the machine has no data for still gives its language and country.
 */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "svm_locale.h"

static svm_locale_props_t props;

/* splits one category's locale name into its parts (strings owned by props); 0 on ENOMEM */
static int parse(int category, char **language, char **script, char **country, char **variant) {
    const char *name = setlocale(category, NULL);
    *script = *country = *variant = NULL;
    if (name == NULL || strcmp(name, "C") == 0 || strcmp(name, "POSIX") == 0) name = "en_US";
    char *copy = strdup(name);
    if (copy == NULL) return 0;
    char *modifier = strchr(copy, '@');
    if (modifier != NULL) *modifier++ = '\0';
    char *encoding = strchr(copy, '.');
    if (encoding != NULL) *encoding = '\0';
    if (strcmp(copy, "C") == 0 || strcmp(copy, "POSIX") == 0) strcpy(copy, "en");
    char *cc = strchr(copy, '_');
    if (cc != NULL) {
        *cc++ = '\0';
        if (*cc != '\0' && (*country = strdup(cc)) == NULL) return 0;
    }
    if (modifier != NULL) {
        const char *s = strcmp(modifier, "latin") == 0 ? "Latn" : strcmp(modifier, "cyrillic") == 0 ? "Cyrl" : NULL;
        if (s != NULL && (*script = strdup(s)) == NULL) return 0;
    }
    *language = copy;
    return 1;
}

int svm_initialize_locale(void) {
    setlocale(LC_ALL, "");
    if (!parse(LC_CTYPE, &props.format_language, &props.format_script, &props.format_country, &props.format_variant)
            || !parse(LC_MESSAGES, &props.display_language, &props.display_script, &props.display_country, &props.display_variant)) {
        return SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY;
    }
    return SVM_LOCALE_INITIALIZATION_SUCCEEDED;
}

svm_locale_props_t *svm_get_locale(void) { return &props; }
