package io.atrium.bus;

/**
 * Every event-bus address atrium uses. Requests are {@code atrium.<part>.<action>} (one consumer replies),
 * published events are {@code atrium.events.<kind>}, and browser-facing events are {@code atrium.ui.<kind>}.
 * verticles.md documents each body, reply and failure code.
 */
public final class Addresses {
  private Addresses() {
  }

  /** Request: a host app says a resource changed ({source_type, id, action}). */
  public static final String INGEST_NOTIFY = "atrium.ingest.notify";
  /** Request: register uploaded files as new resources and queue them. */
  public static final String INGEST_REGISTER_UPLOADS = "atrium.ingest.register-uploads";
  /** Request: status of one resource's processing. */
  public static final String INGEST_STATUS = "atrium.ingest.status";
  /** Request: re-queue a resource that ended in error. */
  public static final String INGEST_RETRY = "atrium.ingest.retry";
  /** Request: forget a resource: chunks, vectors and (for uploads) the row and stored file. */
  public static final String INGEST_DELETE = "atrium.ingest.delete";
  /** Request: queue resources again even though their hashes say they are indexed (new chunk settings). */
  public static final String INGEST_REINDEX = "atrium.ingest.reindex";
  /** Request: stop taking new work and wait for in-flight files (shutdown). */
  public static final String INGEST_DRAIN = "atrium.ingest.drain";

  /** Request: extract structured text from a file (worker). */
  public static final String PARSE_EXTRACT = "atrium.parse.extract";
  /** Request: whether OCR can work ({ocr: available|unavailable|off, ocr_missing_languages?}), for /health. */
  public static final String PARSE_STATUS = "atrium.parse.status";

  /** Request: chunk and embed a parsed document. */
  public static final String EMBED_DOCUMENT = "atrium.embed.document";
  /** Request: embed one search query. */
  public static final String EMBED_QUERY = "atrium.embed.query";
  /** Request: which model is loaded, its dimension. */
  public static final String EMBED_INFO = "atrium.embed.info";

  /** Request: read one resource row. */
  public static final String STORE_RESOURCE_GET = "atrium.store.resource.get";
  public static final String STORE_RESOURCE_VECTORS = "atrium.store.resource.vectors";
  /** Request: ids of resources that need indexing (seed 000's rebuild rule). */
  public static final String STORE_RESOURCE_PENDING = "atrium.store.resource.pending";
  /** Request: insert uploaded files as resource rows (and their task) in one transaction. */
  public static final String STORE_RESOURCE_CREATE = "atrium.store.resource.create";
  /** Request: record a processing stage (and processing_hash) for a resource. */
  public static final String STORE_RESOURCE_STAGE = "atrium.store.resource.stage";
  /** Request: record a failure (sync_status error, last_error). */
  public static final String STORE_RESOURCE_FAIL = "atrium.store.resource.fail";
  /** Request: replace all chunks and vectors of a resource in one transaction and mark it done. */
  public static final String STORE_CHUNKS_REPLACE = "atrium.store.chunks.replace";
  /** Request: delete a resource's chunks and vectors (and the row, when atrium owns it). */
  public static final String STORE_RESOURCE_DELETE = "atrium.store.resource.delete";

  /** Request: create a knowledge base, or change one's fields. */
  public static final String STORE_KB_SAVE = "atrium.store.kb.save";
  /** Request: remove a knowledge base that holds no document. */
  public static final String STORE_KB_DELETE = "atrium.store.kb.delete";
  /** Request: one knowledge base with its counts (read pool). */
  public static final String STORE_KB_GET = "atrium.store.kb.get";
  /** Request: a page of knowledge bases (read pool). */
  public static final String STORE_KB_LIST = "atrium.store.kb.list";
  /** Request: a page of documents, of one base or status when given (read pool). */
  public static final String STORE_DOCUMENT_LIST = "atrium.store.document.list";
  /** Request: one document (read pool). */
  public static final String STORE_DOCUMENT_GET = "atrium.store.document.get";
  /** Request: the ids of every document of one base (read pool). */
  public static final String STORE_DOCUMENT_IDS = "atrium.store.document.ids";

  /** Request: an empty answer from the store's writer thread, for /health (it answers after the writes before it). */
  public static final String STORE_PING = "atrium.store.ping";
  /** Request: one query on the read pool, for /health. */
  public static final String STORE_READ_PING = "atrium.store.read.ping";
  /** Request: a page of chat sessions, newest first (read pool). */
  public static final String STORE_CHAT_SESSION_LIST = "atrium.store.chat.session.list";
  /** Request: a page of agent suggestions, newest first (read pool). */
  public static final String STORE_SUGGESTION_LIST = "atrium.store.suggestion.list";
  /** Request: chat sessions as clients list them (filters and paging checked). */
  public static final String CHAT_SESSION_LIST = "atrium.chat.session.list";
  /** Request: agent suggestions as clients list them (filters and paging checked). */
  public static final String AGENT_SUGGESTION_LIST = "atrium.agent.suggestion.list";
  /** Request: a re-index task with its items, the documents marked for indexing in the same transaction. */
  public static final String STORE_TASK_CREATE = "atrium.store.task.create";
  /** Request: a task's status and its items' outcomes, as the task verticle saw them. */
  public static final String STORE_TASK_UPDATE = "atrium.store.task.update";
  /** Request: one task with its items (read pool). */
  public static final String STORE_TASK_GET = "atrium.store.task.get";
  /** Request: a page of tasks, newest first (read pool). */
  public static final String STORE_TASK_LIST = "atrium.store.task.list";
  /** Request: the tasks not ended, with their items' states (read pool; the task verticle's start). */
  public static final String STORE_TASK_ACTIVE = "atrium.store.task.active";

  /** Request: start following a task just made (before its files are queued, so no progress is missed). */
  public static final String TASKS_TRACK = "atrium.tasks.track";
  /** Request: a re-index task over documents; answers once it is followed. */
  public static final String TASKS_REINDEX = "atrium.tasks.reindex";
  /** Request: a task as clients see it (live progress). */
  public static final String TASKS_GET = "atrium.tasks.get";
  public static final String TASKS_LIST = "atrium.tasks.list";
  /** Request: stop what of a task has not started. */
  public static final String TASKS_CANCEL = "atrium.tasks.cancel";
  /** Request: queue a task's failed and cancelled items again. */
  public static final String TASKS_RETRY = "atrium.tasks.retry";
  /** Request: stop the queued files of a cancelled task (ingest). */
  public static final String INGEST_CANCEL = "atrium.ingest.cancel";

  /** Request: log a webhook delivery (pending). */
  public static final String STORE_WEBHOOK_CREATE = "atrium.store.webhook.create";
  /** Request: log one attempt at a delivery and where it stands after it. */
  public static final String STORE_WEBHOOK_ATTEMPT = "atrium.store.webhook.attempt";
  /** Request: a task's deliveries with their attempts (read pool). */
  public static final String STORE_WEBHOOK_LIST = "atrium.store.webhook.list";
  /** Request: the pending deliveries, for a restart (read pool). */
  public static final String STORE_WEBHOOK_PENDING = "atrium.store.webhook.pending";
  /** Request: whether a callback URL may be given to a task (scheme, a secret to sign with, no private address). */
  public static final String WEBHOOKS_CHECK = "atrium.webhooks.check";
  /** Request: a task's delivery log. */
  public static final String WEBHOOKS_DELIVERIES = "atrium.webhooks.deliveries";

  /** Request: knowledge bases as clients see them (checked fields, configured chunk settings filled in). */
  public static final String KNOWLEDGE_BASE_CREATE = "atrium.knowledge.base.create";
  public static final String KNOWLEDGE_BASE_GET = "atrium.knowledge.base.get";
  public static final String KNOWLEDGE_BASE_LIST = "atrium.knowledge.base.list";
  /** Request: change a base; new chunk settings queue its documents for re-indexing. */
  public static final String KNOWLEDGE_BASE_UPDATE = "atrium.knowledge.base.update";
  /** Request: delete a base and every document in it. */
  public static final String KNOWLEDGE_BASE_DELETE = "atrium.knowledge.base.delete";
  /** Request: a page of documents (query-string filters checked). */
  public static final String KNOWLEDGE_DOCUMENT_LIST = "atrium.knowledge.document.list";
  public static final String KNOWLEDGE_DOCUMENT_GET = "atrium.knowledge.document.get";
  /** Request: delete one document of a base (through ingest). */
  public static final String KNOWLEDGE_DOCUMENT_DELETE = "atrium.knowledge.document.delete";

  /** Request: record the embedding model in use; resources embedded with another model are marked for re-indexing. */
  public static final String STORE_MODEL_CHECK = "atrium.store.model.check";

  /** Request: hybrid (full-text + vector) search. */
  public static final String SEARCH_HYBRID = "atrium.search.hybrid";

  /** Request: one chat completion (seed 000 body); streamed when the body names a {@code stream_to} address. */
  public static final String CHAT_COMPLETE = "atrium.chat.complete";
  /** Request: stop a streamed completion whose client went away ({request_id}). */
  public static final String CHAT_CANCEL = "atrium.chat.cancel";
  /** Request: open a chat session bound to a task or resource ({task_id?, resource_id?, title}). */
  public static final String CHAT_SESSION_NEW = "atrium.chat.session.new";
  /** Request: a session and its stored messages ({session_id}). */
  public static final String CHAT_HISTORY = "atrium.chat.history";
  /**
   * Prefix of the point-to-point address each HTTP verticle instance listens on for the deltas of the streams it
   * serves ({@code atrium.http.chat-stream.<random id>}: instances of one deployment share its deployment id); the
   * chat verticle sends to the address a request names in {@code stream_to}.
   */
  public static final String HTTP_CHAT_STREAM_PREFIX = "atrium.http.chat-stream.";

  /**
   * Request: one plain model call for other verticles ({provider, model, api_key?, base_url?, messages, json?,
   * max_tokens?, temperature?} → {content, usage}); served by the chat verticle's client and breakers.
   */
  public static final String LLM_GENERATE = "atrium.llm.generate";

  /** Request: split a task into suggested subtasks (seed 000 /agent/decompose body; async optional). */
  public static final String AGENT_DECOMPOSE = "atrium.agent.decompose";
  /** Request: suggest tags for a resource from its chunks (seed 000 /agent/tag body; async optional). */
  public static final String AGENT_TAG = "atrium.agent.tag";
  /** Request: a stored suggestion by id ({id}). */
  public static final String AGENT_SUGGESTION_GET = "atrium.agent.suggestion.get";
  /** Request: reorder search results by an LLM judge ({query, results, provider?, model?, …}). */
  public static final String AGENT_RERANK = "atrium.agent.rerank";
  /** Request: chunk texts of one resource ({resource_id, chunk_ids?, limit?}), for the agent. */
  public static final String SEARCH_CHUNKS = "atrium.search.chunks";
  /** Request: the search indexes' state ({full_text, lucene?: {state, ready}, vector_index}), for /health. */
  public static final String SEARCH_STATUS = "atrium.search.status";

  /** Request: create or update a suggestion row (writer). */
  public static final String STORE_SUGGESTION_SAVE = "atrium.store.suggestion.save";
  /** Request: read a suggestion row (read pool). */
  public static final String STORE_SUGGESTION_GET = "atrium.store.suggestion.get";

  /** Request: scan the media source folders now ({}) → {added, moved, skipped}. */
  public static final String MEDIA_SCAN = "atrium.media.scan";
  /** Request: what a file name says ({name}) → {type, title, year?, season?, episode?, tmdb_id?, source}; touches nothing. */
  public static final String MEDIA_RECOGNIZE = "atrium.media.recognize";
  /** Request: media files by status ({status?, limit?, offset?}). */
  public static final String MEDIA_LIST = "atrium.media.list";
  /** Request: one media file ({id}). */
  public static final String MEDIA_GET = "atrium.media.get";
  /** Request: process a FAILED or CONFLICT file again ({id}). */
  public static final String MEDIA_RETRY = "atrium.media.retry";
  /** Request: link a file to a TMDB entry chosen by hand ({id, tmdb_id, type, season?, episode?}). */
  public static final String MEDIA_MATCH = "atrium.media.match";

  /** Request: record scanned media files by (device, inode) (writer). */
  public static final String STORE_MEDIA_UPSERT = "atrium.store.media.upsert";
  /** Request: claim the next due PENDING media file atomically (writer). */
  public static final String STORE_MEDIA_CLAIM = "atrium.store.media.claim";
  /** Request: claim one given media file if it is in one of the given statuses (writer). */
  public static final String STORE_MEDIA_CLAIM_ONE = "atrium.store.media.claim-one";
  /** Request: record a media file's outcome (writer). */
  public static final String STORE_MEDIA_FINISH = "atrium.store.media.finish";
  /** Request: list media files (read pool). */
  public static final String STORE_MEDIA_LIST = "atrium.store.media.list";
  /** Request: one media file (read pool). */
  public static final String STORE_MEDIA_GET = "atrium.store.media.get";

  /** Request: create a chat session row. */
  public static final String STORE_CHAT_SESSION_CREATE = "atrium.store.chat.session.create";
  /** Request: read a chat session with its messages. */
  public static final String STORE_CHAT_SESSION_GET = "atrium.store.chat.session.get";
  /** Request: append one exchange (the question's messages and the answer) to a session, in one transaction. */
  public static final String STORE_CHAT_MESSAGES_APPEND = "atrium.store.chat.messages.append";
  /** Request: write one retrieval_logs row (question, retrieved chunks, provider, model, latency, usage, outcome). */
  public static final String STORE_CHAT_LOG = "atrium.store.chat.log";

  /** Request: whether each CLI program is found, and the runs going ({}) → {clis, running, queued}. */
  public static final String SESSIONS_STATUS = "atrium.sessions.status";
  /** Request: the worker types and the default ({}) → {types, default}. */
  public static final String SESSIONS_WORKER_TYPES = "atrium.sessions.worker.types";
  /** Request: register a worker ({worker_name, type?, env_vars?, command_params?}) → the worker, values masked. */
  public static final String SESSIONS_WORKER_CREATE = "atrium.sessions.worker.create";
  /** Request: the workers ({worker_name?}) → {workers}. */
  public static final String SESSIONS_WORKER_LIST = "atrium.sessions.worker.list";
  /** Request: one worker ({worker_name}). */
  public static final String SESSIONS_WORKER_GET = "atrium.sessions.worker.get";
  /** Request: delete a worker ({worker_name}); its conversations stay. */
  public static final String SESSIONS_WORKER_DELETE = "atrium.sessions.worker.delete";
  /** Request: open a conversation ({worker_name, project_path, name?}). */
  public static final String SESSIONS_CONVERSATION_CREATE = "atrium.sessions.conversation.create";
  /** Request: the conversations ({worker_name?, limit?, offset?}). */
  public static final String SESSIONS_CONVERSATION_LIST = "atrium.sessions.conversation.list";
  /** Request: one conversation ({id}), with whether a run is active. */
  public static final String SESSIONS_CONVERSATION_GET = "atrium.sessions.conversation.get";
  /** Request: rename a conversation ({id, name}). */
  public static final String SESSIONS_CONVERSATION_RENAME = "atrium.sessions.conversation.rename";
  /** Request: delete a conversation, its messages and its inputs file ({id}). */
  public static final String SESSIONS_CONVERSATION_DELETE = "atrium.sessions.conversation.delete";
  /** Request: a conversation's inputs, newest first ({id, limit}). */
  public static final String SESSIONS_INPUTS = "atrium.sessions.inputs";
  /** Request: send an input and run the worker ({id, content, queue?}) → the run when it ends. */
  public static final String SESSIONS_INPUT = "atrium.sessions.input";
  /** Request: stop a conversation's run and what it started ({id}). */
  public static final String SESSIONS_CANCEL = "atrium.sessions.cancel";
  /** Request: a conversation's synced messages ({id, limit?, after_id?}). */
  public static final String SESSIONS_MESSAGES = "atrium.sessions.messages";
  /** Request: sync a conversation's messages from the CLI's own session files ({id}) → {added, total}. */
  public static final String SESSIONS_SYNC = "atrium.sessions.sync";

  /** Request: insert a worker row (writer). */
  public static final String STORE_WORKER_CREATE = "atrium.store.worker.create";
  /** Request: worker rows, env values in full (writer). */
  public static final String STORE_WORKER_LIST = "atrium.store.worker.list";
  /** Request: one worker row (writer). */
  public static final String STORE_WORKER_GET = "atrium.store.worker.get";
  /** Request: delete a worker row (writer). */
  public static final String STORE_WORKER_DELETE = "atrium.store.worker.delete";
  /** Request: insert a conversation row, now current for its worker and folder (writer). */
  public static final String STORE_CONVERSATION_CREATE = "atrium.store.conversation.create";
  /** Request: conversation rows (writer). */
  public static final String STORE_CONVERSATION_LIST = "atrium.store.conversation.list";
  /** Request: one conversation row (writer). */
  public static final String STORE_CONVERSATION_GET = "atrium.store.conversation.get";
  /** Request: change a conversation's name, raw id, metadata or activity time (writer). */
  public static final String STORE_CONVERSATION_UPDATE = "atrium.store.conversation.update";
  /** Request: delete a conversation row with its messages and runs (writer). */
  public static final String STORE_CONVERSATION_DELETE = "atrium.store.conversation.delete";
  /** Request: the resource whose chunks make a conversation searchable, made on first use (writer). */
  public static final String STORE_CONVERSATION_RESOURCE = "atrium.store.conversation.resource";
  /** Request: insert synced messages, skipping known uuids, and move the sync offset (writer). */
  public static final String STORE_MESSAGES_APPEND = "atrium.store.messages.append";
  /** Request: a conversation's messages, oldest first (writer). */
  public static final String STORE_MESSAGES_LIST = "atrium.store.messages.list";
  /** Request: record a run queued or started, or its pid (writer). */
  public static final String STORE_RUN_START = "atrium.store.run.start";
  /** Request: record how a run ended (writer). */
  public static final String STORE_RUN_FINISH = "atrium.store.run.finish";
  /** Request: given runs of a conversation (writer). */
  public static final String STORE_RUN_LIST = "atrium.store.run.list";
  /** Request: end every run left queued or running by a process that is gone (writer). */
  public static final String STORE_RUN_ABANDON = "atrium.store.run.abandon";

  /** Request: liveness ping from the parent process. */
  public static final String LIFECYCLE_HEARTBEAT = "atrium.lifecycle.heartbeat";
  /** Request: graceful shutdown. */
  public static final String LIFECYCLE_SHUTDOWN = "atrium.lifecycle.shutdown";

  /** Event: a resource's stage or percentage changed. */
  public static final String EVENTS_PROGRESS = "atrium.events.progress";
  /** Event: a resource's chunks were replaced or removed in the store. */
  public static final String EVENTS_INDEX_CHANGED = "atrium.events.index-changed";
  /**
   * Event: a derived search index's state ({engine: "lucene", status: "rebuilding"|"catching_up"|"ready"|"error",
   * done, total}); a rebuild reports its progress about once a second.
   */
  public static final String EVENTS_SEARCH_INDEX = "atrium.events.search-index";
  /** Event: the embedder finished a batch of a document's chunks. */
  public static final String EVENTS_EMBED_PROGRESS = "atrium.events.embed-progress";

  /** Event: a streamed chat answer's delta ({request_id, session_id?, delta, index}) or its end (done/error). */
  public static final String EVENTS_CHAT = "atrium.events.chat";

  /** Event: an agent suggestion changed state ({suggestion_id, event: decompose|tag, status, task_id?, resource_id?}). */
  public static final String EVENTS_AGENT = "atrium.events.agent";

  /** Event: a media file changed status ({id, status, relative_path, reason?, title?, target_path?}). */
  public static final String EVENTS_MEDIA = "atrium.events.media";

  /**
   * Event: a coding-agent run's output as it arrives ({conversation_id, worker_name, run_id, kind:
   * text|tool_use|tool_result|result|error|status, …}).
   */
  public static final String EVENTS_SESSION = "atrium.events.session";
  /** Event: a task's status or progress changed, or one of its items ended. */
  public static final String EVENTS_TASK = "atrium.events.task";

  /** Browser-facing: chat deltas and ends in the client shape {event: "chat", status, …}, fed only by push. */
  public static final String UI_CHAT = "atrium.ui.chat";

  /** Every browser-facing address (the only ones the SockJS bridge lets clients listen to), as a regex. */
  public static final String UI_PREFIX_REGEX = "atrium\\.ui\\..+";

  /** Browser-facing: notifications in seed 000's shape, fed only by the push verticle. */
  public static final String UI_NOTIFICATIONS = "atrium.ui.notifications";
}
