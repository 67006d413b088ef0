package org.alexnetcuda.train;

import java.io.PrintStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns SIGINT and SIGTERM into a request that the training loop honours between steps (finish the step, save a
 * checkpoint, exit 130), instead of the JVM's default of exiting at once. A second signal exits at once: the last
 * complete checkpoint is safe on disk whatever happens.
 *
 * <p>It uses sun.misc.Signal (module jdk.unsupported, present in every JDK 17), the only way for Java code to handle a
 * signal; a shutdown hook cannot, as it runs after the exit has begun and cannot pick the exit code. The class is
 * reached by reflection only because javac warns, unsuppressibly, at every direct use of it. A signal the parent
 * process set to "ignore" (SIGINT of a background job, or under nohup) stays ignored.
 */
public final class StopSignal implements AutoCloseable {
    private static final String[] SIGNALS = {"INT", "TERM"};

    private final AtomicBoolean requested = new AtomicBoolean();
    private final Map<Object, Object> previous = new LinkedHashMap<>();
    private final List<String> handled = new ArrayList<>();
    private volatile String reason;
    /** Set when handlers were installed, to put the old ones back. */
    private Api restorer;

    private StopSignal() {
    }

    /** A stop request that only {@link #request} sets (tests, embedding). */
    public static StopSignal manual() {
        return new StopSignal();
    }

    /** Handles SIGINT and SIGTERM until {@link #close}; messages go to log. Without sun.misc.Signal, handles none. */
    public static StopSignal install(PrintStream log) {
        StopSignal s = new StopSignal();
        Api api = Api.find();
        if (api == null) {
            return s;
        }
        for (String name : SIGNALS) {
            Object sig = api.signal(name);
            Object old = api.handle(sig, api.handler(() -> s.onSignal("SIG" + name, log)));
            if (old == null) {
                continue; // reserved by the VM (e.g. -Xrs): the default behaviour stays
            }
            if (old == api.ignore) {
                api.handle(sig, api.ignore);
                continue;
            }
            s.previous.put(sig, old);
            s.handled.add("SIG" + name);
        }
        if (!s.previous.isEmpty()) {
            s.restorer = api;
        }
        return s;
    }

    private void onSignal(String name, PrintStream log) {
        if (requested.compareAndSet(false, true)) {
            reason = name;
            log.println();
            log.println(name + ": finishing the current step, then saving a checkpoint (send it again to quit at once)");
            return;
        }
        log.println(name + " again: quitting without saving; the last complete checkpoint is kept");
        log.flush();
        Runtime.getRuntime().halt(130);
    }

    /** Asks the loop to stop at the next step boundary. */
    public void request(String why) {
        if (requested.compareAndSet(false, true)) {
            reason = why;
        }
    }

    public boolean requested() {
        return requested.get();
    }

    /** What asked for the stop (e.g. "SIGTERM"), or null. */
    public String reason() {
        return reason;
    }

    /** The signals this object handles, e.g. [SIGINT, SIGTERM]; an ignored one is missing. */
    public List<String> handled() {
        return List.copyOf(handled);
    }

    /** Puts the previous handlers back. */
    @Override
    public void close() {
        if (restorer != null) {
            previous.forEach(restorer::handle);
        }
        previous.clear();
    }

    /** sun.misc.Signal through reflection: new Signal(name), Signal.handle(signal, handler), SignalHandler.SIG_IGN. */
    private static final class Api {
        final Constructor<?> newSignal;
        final Method handle;
        final Class<?> handlerType;
        final Object ignore;

        private Api(Constructor<?> newSignal, Method handle, Class<?> handlerType, Object ignore) {
            this.newSignal = newSignal;
            this.handle = handle;
            this.handlerType = handlerType;
            this.ignore = ignore;
        }

        static Api find() {
            try {
                Class<?> signal = Class.forName("sun.misc.Signal");
                Class<?> handler = Class.forName("sun.misc.SignalHandler");
                return new Api(signal.getConstructor(String.class), signal.getMethod("handle", signal, handler), handler,
                        handler.getField("SIG_IGN").get(null));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        Object signal(String name) {
            try {
                return newSignal.newInstance(name);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("sun.misc.Signal(" + name + ")", e);
            }
        }

        /** The previous handler, or null if the VM refuses (a signal it uses itself). */
        Object handle(Object sig, Object handler) {
            try {
                return handle.invoke(null, sig, handler);
            } catch (InvocationTargetException e) {
                return null;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("sun.misc.Signal.handle", e);
            }
        }

        /** A SignalHandler whose handle(Signal) runs action. */
        Object handler(Runnable action) {
            return Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType}, (proxy, m, args) -> {
                if (m.getName().equals("handle")) {
                    action.run();
                    return null;
                }
                if (m.getName().equals("toString")) {
                    return "StopSignal handler";
                }
                if (m.getName().equals("hashCode")) {
                    return System.identityHashCode(proxy);
                }
                if (m.getName().equals("equals")) {
                    return proxy == args[0];
                }
                return null;
            });
        }
    }
}
