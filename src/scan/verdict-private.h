/* scan/verdict-private.h — helpers the scanner backends share with scan/verdict.c.
 * Must not: be included outside src/scan. */
#pragma once
#include "scan/verdict.h"

/* A copy safe to show and log: valid UTF-8, control characters replaced. transfer full */
char *scan_text_sanitize(const char *text);
/* An ERROR verdict with our words `reason`, of class reason_class, keeping the raw reply (may be NULL). */
ScanVerdict *scan_verdict_error_reply(const char *reply, ScanReasonClass reason_class, const char *reason);
