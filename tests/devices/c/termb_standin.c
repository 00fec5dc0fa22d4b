/* A stand-in for a vendor's termb library (CVR_*), for the driver tests.
 * Behaviour: see standin_cards.h. Return codes: 1 success, 2 no card (寻卡失败),
 * 4 reader not connected, 0 read failed. */
#include "standin_cards.h"

#define WORD 32

int CVR_InitComm(int port) {
    char word[WORD];
    standin_scenario(word, sizeof word);
    return (port <= 0 || standin_is(word, "no_port")) ? 0 : 1;
}

int CVR_CloseComm(void) { return 1; }

int CVR_Authenticate(void) {
    char word[WORD];
    standin_scenario(word, sizeof word);
    if (standin_is(word, "error")) return 4;
    if (standin_is(word, "none") || standin_is(word, "no_port")) return 2;
    return 1;
}

int CVR_ReadBaseMsg(unsigned char *text, unsigned int *text_len, unsigned char *photo,
                    unsigned int *photo_len, int mode) {
    char word[WORD];
    (void)mode;
    standin_scenario(word, sizeof word);
    if (*text_len < STANDIN_MESSAGE_SIZE || !standin_message(word, text)) return 0;
    *text_len = STANDIN_MESSAGE_SIZE;
    if (*photo_len >= 1024) { memset(photo, 0, 1024); *photo_len = 1024; }
    return 1;
}
