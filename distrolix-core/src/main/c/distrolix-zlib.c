/*
 * dev.distrolix.tar.ZlibJni's native methods: one gzip block deflated by the system's zlib, as the JDK's
 * Deflater(level, true) deflates it with the zlib it bundles (raw deflate, window 15, memLevel 8, the default
 * strategy; reset, the 32 KiB dictionary, one deflate call with Z_SYNC_FLUSH or Z_FINISH). The arrays are used in
 * place (critical regions, as the JDK's own Deflater does), not copied; the Java side checks every bound before
 * it calls. Built by distrolix-core's pom (gcc, zlib's and the JDK's headers), linked to libz.so.1.
 */
#include <jni.h>
#include <stdint.h>
#include <stdlib.h>
#include <zlib.h>

#define DICTIONARY 32768
/* what deflate returns besides a length: negative, so that a length is never taken for one */
#define FAILED_RESET (-1)
#define FAILED_DICTIONARY (-2)
#define FAILED_DEFLATE (-3)
#define FAILED_WHOLE_BLOCK (-4)
#define FAILED_ARRAY (-5)

JNIEXPORT jstring JNICALL Java_dev_distrolix_tar_ZlibJni_version(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, zlibVersion());
}

JNIEXPORT jlong JNICALL Java_dev_distrolix_tar_ZlibJni_init(JNIEnv *env, jclass cls, jint level) {
    (void) env;
    (void) cls;
    z_stream *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return 0;
    }
    if (deflateInit2(s, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(s);
        return 0;
    }
    return (jlong) (intptr_t) s;
}

JNIEXPORT void JNICALL Java_dev_distrolix_tar_ZlibJni_end(JNIEnv *env, jclass cls, jlong stream) {
    (void) env;
    (void) cls;
    z_stream *s = (z_stream *) (intptr_t) stream;
    deflateEnd(s);
    free(s);
}

/* The block's compressed length in out, or one of the FAILED_ codes. */
JNIEXPORT jint JNICALL Java_dev_distrolix_tar_ZlibJni_deflate(JNIEnv *env, jclass cls, jlong stream,
        jbyteArray dictionary, jint dictionaryOffset, jbyteArray data, jint len, jboolean last, jbyteArray out) {
    (void) cls;
    z_stream *s = (z_stream *) (intptr_t) stream;
    if (deflateReset(s) != Z_OK) {
        return FAILED_RESET;
    }
    if (dictionary != NULL) {
        jbyte *d = (*env)->GetPrimitiveArrayCritical(env, dictionary, NULL);
        if (d == NULL) {
            return FAILED_ARRAY;
        }
        int rc = deflateSetDictionary(s, (const Bytef *) (d + dictionaryOffset), DICTIONARY);
        (*env)->ReleasePrimitiveArrayCritical(env, dictionary, d, JNI_ABORT);
        if (rc != Z_OK) {
            return FAILED_DICTIONARY;
        }
    }
    jint room = (*env)->GetArrayLength(env, out);
    jbyte *in = (*env)->GetPrimitiveArrayCritical(env, data, NULL);
    if (in == NULL) {
        return FAILED_ARRAY;
    }
    jbyte *o = (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (o == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, data, in, JNI_ABORT);
        return FAILED_ARRAY;
    }
    s->next_in = (Bytef *) in;
    s->avail_in = (uInt) len;
    s->next_out = (Bytef *) o;
    s->avail_out = (uInt) room;
    int rc = deflate(s, last ? Z_FINISH : Z_SYNC_FLUSH);
    uInt left = s->avail_out;
    uInt unread = s->avail_in;
    (*env)->ReleasePrimitiveArrayCritical(env, out, o, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, data, in, JNI_ABORT);
    if (rc != (last ? Z_STREAM_END : Z_OK)) {
        return FAILED_DEFLATE;
    }
    if (left == 0 || unread != 0) {
        return FAILED_WHOLE_BLOCK; /* the room was too small for one call: never, with the Java side's bound */
    }
    return room - (jint) left;
}
