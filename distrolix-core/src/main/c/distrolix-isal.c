/*
 * dev.distrolix.blob.IsalInflater's native methods: raw deflate decoding by the system's ISA-L (Intel's Intelligent
 * Storage Acceleration library, igzip), for the gzip layers distrolix reads: a fresh runner inflates every layer it
 * takes from a registry to check it, and ISA-L inflates ~2.5x as fast as zlib on the same data (a 4.8 MB glibc layer:
 * 21 ms against 52). Only the deflate data: the gzip headers, CRC-32 and sizes are read and checked in Java, as they
 * are for the JDK's Inflater. One inflate_state per stream; the arrays are used in place (critical regions), not
 * copied; the Java side checks every bound before it calls. Built by distrolix-core's pom (gcc, ISA-L's and the JDK's
 * headers), linked to libisal.so.2.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <isa-l/igzip_lib.h>

/* what inflate returns besides its two counts: 0 more to come, 1 the deflate data ended, negative: ISA-L's error */
#define MORE 0
#define END 1
#define FAILED_ARRAY (-100)
#define ASKS_FOR_DICTIONARY (-101)

/* A decoder of raw deflate data, or 0. */
JNIEXPORT jlong JNICALL Java_dev_distrolix_blob_IsalInflater_create(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    struct inflate_state *s = malloc(sizeof *s);
    if (s == NULL) {
        return 0;
    }
    isal_inflate_init(s);
    s->crc_flag = ISAL_DEFLATE;
    return (jlong) (intptr_t) s;
}

/* Readies the decoder for another deflate stream (the next gzip member). */
JNIEXPORT void JNICALL Java_dev_distrolix_blob_IsalInflater_reset(JNIEnv *env, jclass cls, jlong state) {
    (void) env;
    (void) cls;
    struct inflate_state *s = (struct inflate_state *) (intptr_t) state;
    isal_inflate_reset(s);
    s->crc_flag = ISAL_DEFLATE;
}

JNIEXPORT void JNICALL Java_dev_distrolix_blob_IsalInflater_free(JNIEnv *env, jclass cls, jlong state) {
    (void) env;
    (void) cls;
    free((struct inflate_state *) (intptr_t) state);
}

/*
 * Decodes from in[inOffset, inOffset + inLength) into out[outOffset, outOffset + outLength). Writes the bytes
 * consumed and produced into counts[0] and counts[1]; returns MORE, END or an error. At END, the whole bytes ISA-L
 * had read ahead past the deflate data (into its 64-bit bit buffer: a gzip trailer's first bytes) are given back:
 * those of this call's input as not consumed, those of earlier calls' input written to tail, their number into
 * counts[2].
 */
JNIEXPORT jint JNICALL Java_dev_distrolix_blob_IsalInflater_inflate(JNIEnv *env, jclass cls, jlong state,
        jbyteArray in, jint inOffset, jint inLength, jbyteArray out, jint outOffset, jint outLength,
        jintArray counts, jbyteArray tail) {
    (void) cls;
    struct inflate_state *s = (struct inflate_state *) (intptr_t) state;
    jbyte *i = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    if (i == NULL) {
        return FAILED_ARRAY;
    }
    jbyte *o = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (o == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, in, i, JNI_ABORT);
        return FAILED_ARRAY;
    }
    s->next_in = (uint8_t *) (i + inOffset);
    s->avail_in = (uint32_t) inLength;
    s->next_out = (uint8_t *) (o + outOffset);
    s->avail_out = (uint32_t) outLength;
    int rc = isal_inflate(s);
    jint done[3] = {inLength - (jint) s->avail_in, outLength - (jint) s->avail_out, 0};
    jbyte ahead[8];
    if (rc >= 0 && s->block_state == ISAL_BLOCK_FINISH && s->read_in_length >= 8) {
        int extra = s->read_in_length / 8; /* at most 8: the bit buffer is 64 bits */
        uint64_t bits = s->read_in >> (s->read_in_length % 8); /* what is left of the last byte is padding */
        int here = extra < done[0] ? extra : done[0];
        done[0] -= here;
        done[2] = extra - here; /* the first bytes read ahead, from before this call's input */
        for (int k = 0; k < done[2]; k++) {
            ahead[k] = (jbyte) (bits >> (8 * k));
        }
        s->read_in = 0;
        s->read_in_length = 0;
    }
    /* no pointer into the arrays may outlive the critical regions */
    s->next_in = NULL;
    s->avail_in = 0;
    s->next_out = NULL;
    s->avail_out = 0;
    (*env)->ReleasePrimitiveArrayCritical(env, out, o, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, in, i, JNI_ABORT);
    (*env)->SetIntArrayRegion(env, counts, 0, 3, done);
    if (done[2] > 0) {
        (*env)->SetByteArrayRegion(env, tail, 0, done[2], ahead);
    }
    if (rc < 0) {
        return rc;
    }
    if (rc == ISAL_NEED_DICT) {
        return ASKS_FOR_DICTIONARY; /* raw deflate never asks for one: corrupt data */
    }
    return s->block_state == ISAL_BLOCK_FINISH ? END : MORE;
}
