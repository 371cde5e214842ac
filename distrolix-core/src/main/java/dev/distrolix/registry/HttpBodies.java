package dev.distrolix.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Objects;

/**
 * The bodies {@link Http} sends and receives through, each recording progress so that a stalled transfer is
 * noticed: a request body ({@link WatchedBody}), an answer read into memory with a size bound ({@link Watched}),
 * an answer streamed to the caller ({@link StreamBody}).
 */
final class HttpBodies {
    private HttpBodies() {
    }

    /** Where a request is: the phase decides which limit applies, {@code last} is its last progress. */
    static final class Activity {
        static final int WAITING = 0;
        static final int SENDING = 1;
        static final int RECEIVING = 2;
        volatile int phase = WAITING;
        volatile long last = System.nanoTime();

        void phase(int p) {
            phase = p;
            last = System.nanoTime();
        }

        void touch() {
            last = System.nanoTime();
        }
    }

    /** A request body that records progress each time the client takes a buffer of it. */
    static final class WatchedBody implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher delegate;
        private final Activity activity;

        WatchedBody(HttpRequest.BodyPublisher delegate, Activity activity) {
            this.delegate = delegate;
            this.activity = activity;
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public void subscribe(java.util.concurrent.Flow.Subscriber<? super java.nio.ByteBuffer> s) {
            delegate.subscribe(new java.util.concurrent.Flow.Subscriber<java.nio.ByteBuffer>() {
                @Override
                public void onSubscribe(java.util.concurrent.Flow.Subscription sub) {
                    activity.phase(Activity.SENDING);
                    s.onSubscribe(sub);
                }

                @Override
                public void onNext(java.nio.ByteBuffer item) {
                    activity.touch();
                    s.onNext(item);
                }

                @Override
                public void onError(Throwable t) {
                    s.onError(t);
                }

                @Override
                public void onComplete() {
                    if (activity.phase == Activity.SENDING) {
                        activity.phase(Activity.WAITING); // now the answer's head is awaited
                    }
                    s.onComplete();
                }
            });
        }
    }

    /** A buffered answer: records progress, refuses more than {@code max} bytes (cancelling the transfer). */
    static final class Watched<T> implements HttpResponse.BodySubscriber<T> {
        private final HttpResponse.BodySubscriber<T> delegate;
        private final Activity activity;
        private final long max;
        private final String what;
        private java.util.concurrent.Flow.Subscription subscription;
        private long count;
        private long refused = -1;
        private boolean failed;

        Watched(HttpResponse.BodySubscriber<T> delegate, Activity activity, long max, String what) {
            this.delegate = delegate;
            this.activity = activity;
            this.max = max;
            this.what = what;
        }

        /** The answer says it is {@code declared} bytes, more than we take: fail as soon as subscribed. */
        void refuse(long declared) {
            refused = declared;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            delegate.onSubscribe(s);
            if (refused >= 0) {
                fail("the answer is " + refused + " bytes (Content-Length), more than the " + max
                        + " bytes a registry document may have");
            }
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> items) {
            activity.touch();
            if (failed) {
                return;
            }
            for (java.nio.ByteBuffer b : items) {
                count += b.remaining();
            }
            if (max >= 0 && count > max) {
                fail("the answer is larger than the " + max + " bytes a registry document may have");
                return;
            }
            delegate.onNext(items);
        }

        private void fail(String why) {
            failed = true;
            subscription.cancel();
            delegate.onError(new Http.TooLarge(what + ": " + why));
        }

        @Override
        public void onError(Throwable t) {
            if (!failed) {
                delegate.onError(t);
            }
        }

        @Override
        public void onComplete() {
            if (!failed) {
                delegate.onComplete();
            }
        }

        @Override
        public java.util.concurrent.CompletionStage<T> getBody() {
            return delegate.getBody();
        }
    }

    /**
     * A streamed answer (a blob) as an InputStream whose reads wait at most {@code limits.stall} for
     * data (and never past the deadline): a server that drips or stops fails the read with one line
     * naming the request, and the transfer is cancelled.
     */
    static final class StreamBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
        private static final Object END = new Object();
        private final java.util.concurrent.BlockingQueue<Object> queue = new java.util.concurrent.LinkedBlockingQueue<>();
        private final Http.Limits limits;
        private final String what;
        private volatile java.util.concurrent.Flow.Subscription subscription;
        private volatile boolean closed;
        private java.util.Iterator<java.nio.ByteBuffer> items = java.util.Collections.emptyIterator();
        private java.nio.ByteBuffer current;
        private boolean done;

        StreamBody(Http.Limits limits, String what) {
            this.limits = limits;
            this.what = what;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            subscription = s;
            if (closed) {
                s.cancel();
            } else {
                s.request(1);
            }
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> item) {
            queue.add(item);
        }

        @Override
        public void onError(Throwable t) {
            queue.add(t);
        }

        @Override
        public void onComplete() {
            queue.add(END);
        }

        @Override
        public java.util.concurrent.CompletionStage<InputStream> getBody() {
            return java.util.concurrent.CompletableFuture.completedStage(this);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (closed) {
                throw new IOException(what + ": the stream is closed");
            }
            if (len == 0) {
                return 0;
            }
            while (current == null || !current.hasRemaining()) {
                if (items.hasNext()) {
                    current = items.next();
                    continue;
                }
                if (done) {
                    return -1;
                }
                Object o = next();
                if (o == END) {
                    done = true;
                    return -1;
                }
                if (o instanceof Throwable t) {
                    done = true;
                    throw t instanceof IOException io ? io : new IOException(what + ": " + t, t);
                }
                @SuppressWarnings("unchecked")
                List<java.nio.ByteBuffer> list = (List<java.nio.ByteBuffer>) o;
                items = list.iterator();
                subscription.request(1);
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

        private Object next() throws IOException {
            long stall = limits.stall() == null ? Long.MAX_VALUE : limits.stall().toNanos();
            long deadline = limits.deadline().remainingNanos();
            Object o;
            try {
                o = queue.poll(Math.min(stall, Math.max(deadline, 0)), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + what);
            }
            if (o == null) {
                close();
                throw deadline <= stall
                        ? new Http.TimedOut(what + ": " + limits.deadline().describe() + " has passed", true)
                        : new Http.TimedOut(what + ": no data for " + Http.text(limits.stall()), false);
            }
            return o;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.remaining();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                java.util.concurrent.Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
            }
        }
    }
}
