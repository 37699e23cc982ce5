package org.workbench.kernel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.BaseKernel;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.ReplacementOptions;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteInput;
import org.dflib.jjava.jupyter.messages.publish.PublishExecuteResult;
import org.dflib.jjava.jupyter.messages.publish.PublishStream;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.ExecuteReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

/**
 * The Workbench Jupyter kernel for Java: the jjava base kernel (Jupyter messaging over ZeroMQ)
 * wired to a {@link JavaEvaluator}. Requests it answers (Jupyter messaging protocol 5.x):
 * <ul>
 * <li>{@code execute_request}: cells (with {@link Magics}) stream their output as {@code stream}
 *     messages while they run, publish the value of their last expression as an
 *     {@code execute_result} (MIME bundle from {@link Renderers}), and fail with an {@code error}
 *     message and an error {@code execute_reply} carrying the evaluator's {@link CellError}, whose
 *     line numbers are the cell's.</li>
 * <li>{@code complete_request}: JShell's completions; inside the first string argument of
 *     {@code workRequest(}, {@code batchWorkRequest(} or {@code batchWorkStream(} the worker names
 *     and aliases of the registry ({@link JavaEvaluator#workerNames()}).</li>
 * <li>{@code inspect_request}: signatures and Javadoc of the symbol under the cursor
 *     ({@link JavaEvaluator#inspect}) as {@code text/plain}.</li>
 * <li>{@code is_complete_request}: {@code complete}, {@code incomplete} (indent 4 spaces) or
 *     {@code invalid}.</li>
 * <li>{@code history_request}: {@code range}, {@code tail} and {@code search} over this session's
 *     executed cells ({@link CellHistory}).</li>
 * <li>{@code interrupt_request} (kernelspec {@code "interrupt_mode": "message"}): the running cell's
 *     threads are interrupted, and stopped by force after {@link JavaEvaluator#STOP_GRACE_MS}; the
 *     cell fails with {@code Interrupted} and the kernel keeps its state.</li>
 * <li>{@code kernel_info_request}: {@link #languageInfo()}.</li>
 * <li>{@code shutdown_request} (also for restarts): the running cell is interrupted and the
 *     {@link org.workbench.Workbench}es the cells opened are closed (stores, embedded databases)
 *     before the process exits.</li>
 * </ul>
 */
public final class WorkbenchKernel extends BaseKernel {
    /** Kernel implementation name reported in {@code kernel_info_reply}. */
    public static final String NAME = "workbench-java";

    private final CompletableFuture<JavaEvaluator> evaluator;
    private final CellHistory history;

    /**
     * @param evaluator the cell evaluator this kernel runs
     */
    public WorkbenchKernel(JavaEvaluator evaluator) {
        this(CompletableFuture.completedFuture(Objects.requireNonNull(evaluator)));
    }

    /**
     * A kernel whose evaluator is still being created (JShell start-up takes seconds): the kernel
     * answers {@code kernel_info} at once and the first cell waits for the evaluator.
     *
     * @param evaluator completes with the evaluator, or exceptionally if it cannot start
     */
    public WorkbenchKernel(CompletableFuture<JavaEvaluator> evaluator) {
        this(evaluator, new CellHistory());
    }

    private WorkbenchKernel(CompletableFuture<JavaEvaluator> evaluator, CellHistory history) {
        super(NAME, version(), languageInfo(), List.of(), history, new JupyterIO(StandardCharsets.UTF_8),
                new CommManager(), new Renderer(), null, null, false, new StringStyler.Builder().build());
        this.evaluator = Objects.requireNonNull(evaluator);
        this.history = history;
    }

    /** @return the cells executed in this session, as {@code history_request} reports them */
    public CellHistory history() {
        return history;
    }

    /**
     * Language description for {@code kernel_info_reply}: name {@code java}, the running Java
     * version ({@code Runtime.version()}, e.g. {@code 17.0.15+6-Debian-1deb12u1}), MIME type
     * {@code text/x-java}, extension {@code .java}, CodeMirror mode and Pygments lexer {@code java},
     * nbconvert exporter {@code script}.
     *
     * @return the language info
     */
    public static LanguageInfo languageInfo() {
        return new LanguageInfo("java", Runtime.version().toString(), "text/x-java", ".java", "java",
                "java", "script");
    }

    private static String version() {
        String v = WorkbenchKernel.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    /**
     * @return the evaluator behind this kernel, waiting for it if it is still starting
     * @throws CompletionException if the evaluator failed to start
     */
    public JavaEvaluator evaluator() {
        return evaluator.join();
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> message) {
        commManager.setMessageContext(message);
        ExecuteRequest request = message.getContent();
        // the counter counts requests that store history (Jupyter messaging, "Execution counter")
        boolean counted = request.shouldStoreHistory() && !request.isSilent();
        int count = counted ? executionCount.getAndIncrement() : executionCount.get();
        env.setBusyDeferIdle();
        if (!request.isSilent()) {
            env.publish(new PublishExecuteInput(request.getCode(), count));
        }
        CellOutput streams = new CellOutput() {
            @Override
            public void stdout(String text) {
                env.publish(new PublishStream(PublishStream.StreamType.OUT, text));
            }

            @Override
            public void stderr(String text) {
                env.publish(new PublishStream(PublishStream.StreamType.ERR, text));
            }

            @Override
            public void display(MimeBundle bundle) {
                env.publish(new PublishDisplayData(toDisplayData(bundle)));
            }

            @Override
            public void display(MimeBundle bundle, String displayId) {
                DisplayData d = toDisplayData(bundle);
                d.setDisplayId(displayId);
                env.publish(new PublishDisplayData(d));
            }

            @Override
            public void updateDisplay(String displayId, MimeBundle bundle) {
                DisplayData d = toDisplayData(bundle);
                d.setDisplayId(displayId);
                env.publish(new PublishUpdateDisplayData(d));
            }
        };
        CellResult result;
        try {
            result = evaluator().execute(request.getCode(), counted ? String.valueOf(count) : "(unnumbered)",
                    request.isSilent() ? CellOutput.DISCARD : streams);
        } catch (CompletionException e) {
            String why = String.valueOf(e.getCause());
            result = CellResult.failure(new CellError("KernelError", "the Java engine did not start: " + why,
                    List.of("KernelError: the Java engine did not start: " + why)));
        }
        if (counted) {
            history.add(count, request.getCode(), result.value().map(b -> {
                Object t = b.data().get("text/plain");
                return t == null ? null : t.toString();
            }).orElse(null));
        }
        if (result.ok()) {
            if (result.value().isPresent() && !request.isSilent()) {
                env.publish(new PublishExecuteResult(count, toDisplayData(result.value().get())));
            }
            env.defer().reply(new ExecuteReply(count, Map.of()));
        } else {
            CellError e = result.error().get();
            env.publish(new PublishError(e.ename(), e.evalue(), e.traceback()));
            ErrorReply reply = new ErrorReply(e.ename(), e.evalue(), e.traceback());
            reply.setExecutionCount(count);
            env.defer().replyError(ExecuteReply.MESSAGE_TYPE.error(), reply);
        }
    }

    /**
     * Answers {@code history_request} from {@link CellHistory}. The reply's {@code history} is a list
     * of {@code [session, execution_count, input]} or, with {@code output: true},
     * {@code [session, execution_count, [input, output]]} (messaging protocol 5.x, "History"); the
     * base kernel would serialise the entries as objects, which clients do not read.
     */
    @Override
    protected void handleHistoryRequest(ShellReplyEnvironment env, Message<HistoryRequest> message) {
        HistoryRequest request = message.getContent();
        env.setBusyDeferIdle();
        Set<HistoryManager.ResultFlag> flags = EnumSet.noneOf(HistoryManager.ResultFlag.class);
        if (request.includeOutput()) {
            flags.add(HistoryManager.ResultFlag.INCLUDE_OUTPUT);
        }
        List<HistoryEntry> entries;
        if (request instanceof HistoryRequest.Range r) {
            entries = history.lookupRange(r.getSessionIndex(), r.getStart(), r.getStop(), flags);
        } else if (request instanceof HistoryRequest.Tail t) {
            entries = history.lookupTail(t.getMaxReturnLength(), flags);
        } else if (request instanceof HistoryRequest.Search q) {
            if (q.filterUnique()) {
                flags.add(HistoryManager.ResultFlag.UNIQUE);
            }
            entries = history.search(q.getPattern(), q.getMaxReturnLength(), flags);
        } else {
            entries = List.of();
        }
        List<List<Object>> rows = new ArrayList<>();
        for (HistoryEntry e : entries) {
            Object in = e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput();
            rows.add(List.of(e.getSession(), e.getCellNumber(), in));
        }
        env.reply(new HistoryContent("ok", rows));
    }

    /** The {@code history_reply} content as clients read it. */
    private static final class HistoryContent implements ContentType<HistoryContent>, ReplyType<HistoryRequest> {
        @SuppressWarnings("unused") // serialised by the base kernel's Gson
        private final String status;
        @SuppressWarnings("unused")
        private final List<List<Object>> history;

        HistoryContent(String status, List<List<Object>> history) {
            this.status = status;
            this.history = history;
        }

        @Override
        @SuppressWarnings("unchecked")
        public MessageType<HistoryContent> getType() {
            return (MessageType<HistoryContent>) (MessageType<?>) HistoryReply.MESSAGE_TYPE;
        }

        @Override
        public MessageType<HistoryRequest> getRequestType() {
            return HistoryReply.REQUEST_MESSAGE_TYPE;
        }
    }

    /**
     * @param bundle a rendered value
     * @return the same content as jjava display data
     */
    static DisplayData toDisplayData(MimeBundle bundle) {
        DisplayData d = new DisplayData();
        bundle.data().forEach(d::putData);
        return d;
    }

    @Override
    public Object evalRaw(String source) {
        CellResult r = evaluator().execute(source, "eval", CellOutput.DISCARD);
        if (!r.ok()) {
            throw new IllegalStateException(r.error().get().evalue());
        }
        return r.value().map(WorkbenchKernel::toDisplayData).orElse(null);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return evaluator().inspect(code, at).map(text -> {
            DisplayData d = new DisplayData();
            d.putText(text);
            return d;
        }).orElse(null);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        JavaEvaluator.Completions c = evaluator().complete(code, at);
        return new ReplacementOptions(c.candidates(), c.start(), c.end());
    }

    @Override
    public String isComplete(String code) {
        switch (evaluator().isComplete(code)) {
            case COMPLETE:
                return IS_COMPLETE_YES;
            case INVALID:
                return IS_COMPLETE_BAD;
            default:
                return "    ";
        }
    }

    @Override
    public void interrupt() {
        JavaEvaluator ev = evaluator.getNow(null);
        if (ev != null) {
            ev.interrupt();
        }
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        interrupt();
        JavaEvaluator ev = evaluator.getNow(null);
        if (ev != null) {
            // releases the stores and embedded databases of workbenches the cells opened
            ev.closeCellWorkbenches();
        }
        super.onShutdown(isRestarting);
    }
}
