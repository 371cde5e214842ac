/*
 * dev.distrolix.blob.Sha256Jni's native methods: SHA-256 by the system's OpenSSL (libcrypto's EVP API), whose
 * assembly uses the CPU's SHA instructions from a run's first byte. The JDK's SHA-256 reaches them only once its
 * JIT's second compiler (C2) has compiled the digest loop; until then it runs as Java, ~10x slower, and a short
 * run hashes most of its layers before that. One EVP_MD_CTX per digest; the data array is used in place (a
 * critical region), not copied; the Java side checks every bound before it calls. Built by distrolix-core's pom
 * (gcc, OpenSSL's and the JDK's headers), linked to libcrypto.so.3.
 */
#include <jni.h>
#include <stdint.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#define LENGTH 32

/* fetched once when the library is loaded: an implicit fetch at every EVP_DigestInit costs a lock and a lookup */
static EVP_MD *sha256;

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
    return JNI_VERSION_1_8;
}

JNIEXPORT jstring JNICALL Java_dev_distrolix_blob_Sha256Jni_version(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, OpenSSL_version(OPENSSL_VERSION));
}

/* A context ready for data, or 0 where OpenSSL has no SHA-256 or no memory. */
JNIEXPORT jlong JNICALL Java_dev_distrolix_blob_Sha256Jni_create(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    if (sha256 == NULL) {
        return 0;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        return 0;
    }
    if (EVP_DigestInit_ex2(ctx, sha256, NULL) != 1) {
        EVP_MD_CTX_free(ctx);
        return 0;
    }
    return (jlong) (intptr_t) ctx;
}

/* A copy of the context's state, or 0. */
JNIEXPORT jlong JNICALL Java_dev_distrolix_blob_Sha256Jni_copy(JNIEnv *env, jclass cls, jlong context) {
    (void) env;
    (void) cls;
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    if (copy == NULL) {
        return 0;
    }
    if (EVP_MD_CTX_copy_ex(copy, (EVP_MD_CTX *) (intptr_t) context) != 1) {
        EVP_MD_CTX_free(copy);
        return 0;
    }
    return (jlong) (intptr_t) copy;
}

JNIEXPORT void JNICALL Java_dev_distrolix_blob_Sha256Jni_free(JNIEnv *env, jclass cls, jlong context) {
    (void) env;
    (void) cls;
    EVP_MD_CTX_free((EVP_MD_CTX *) (intptr_t) context);
}

JNIEXPORT jboolean JNICALL Java_dev_distrolix_blob_Sha256Jni_reset(JNIEnv *env, jclass cls, jlong context) {
    (void) env;
    (void) cls;
    return EVP_DigestInit_ex2((EVP_MD_CTX *) (intptr_t) context, sha256, NULL) == 1;
}

JNIEXPORT jboolean JNICALL Java_dev_distrolix_blob_Sha256Jni_update(JNIEnv *env, jclass cls, jlong context,
        jbyteArray data, jint offset, jint len) {
    (void) cls;
    jbyte *d = (*env)->GetPrimitiveArrayCritical(env, data, NULL);
    if (d == NULL) {
        return JNI_FALSE;
    }
    int rc = EVP_DigestUpdate((EVP_MD_CTX *) (intptr_t) context, d + offset, (size_t) len);
    (*env)->ReleasePrimitiveArrayCritical(env, data, d, JNI_ABORT);
    return rc == 1;
}

/* Writes the digest into out (32 bytes) and starts the context again, as MessageDigest.digest() does. */
JNIEXPORT jboolean JNICALL Java_dev_distrolix_blob_Sha256Jni_finish(JNIEnv *env, jclass cls, jlong context,
        jbyteArray out) {
    (void) cls;
    EVP_MD_CTX *ctx = (EVP_MD_CTX *) (intptr_t) context;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(ctx, md, &n) != 1 || n != LENGTH) {
        return JNI_FALSE;
    }
    (*env)->SetByteArrayRegion(env, out, 0, LENGTH, (const jbyte *) md);
    return EVP_DigestInit_ex2(ctx, sha256, NULL) == 1;
}
