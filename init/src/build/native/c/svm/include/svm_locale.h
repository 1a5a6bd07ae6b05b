/* The locale interface of svm 25 (LocaleCHelper, library "libchelper"); implemented in locale.c. */
#ifndef JINIT_SVM_LOCALE_H
#define JINIT_SVM_LOCALE_H

#define SVM_LOCALE_INITIALIZATION_SUCCEEDED 0
#define SVM_LOCALE_INITIALIZATION_OUT_OF_MEMORY 1

/* the default locale's parts, as java.util.Locale wants them; NULL where there is none */
typedef struct {
    char *display_language, *display_script, *display_country, *display_variant;
    char *format_language, *format_script, *format_country, *format_variant;
} svm_locale_props_t;

int svm_initialize_locale(void);
svm_locale_props_t *svm_get_locale(void);

#endif
