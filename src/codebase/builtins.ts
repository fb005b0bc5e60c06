// Names a rule may mention that no repository declares: language built-ins, runtime globals,
// well-known environment variables and product names. Mentioning them is never stale.

const JS = `console process window document globalThis global navigator location localStorage sessionStorage
Math JSON Object Array Promise Date Error TypeError RangeError SyntaxError ReferenceError AggregateError Map Set WeakMap WeakSet
WeakRef Symbol RegExp Number String Boolean BigInt Reflect Proxy Intl URL URLSearchParams Buffer TextEncoder TextDecoder
AbortController AbortSignal Blob File FormData Headers Request Response ReadableStream WritableStream Worker
fetch require module exports import __dirname __filename setTimeout setInterval clearTimeout clearInterval
setImmediate queueMicrotask structuredClone atob btoa crypto performance Function Uint8Array ArrayBuffer DataView
Int32Array Float64Array SharedArrayBuffer Atomics Iterator AsyncIterator Generator EventTarget Event CustomEvent
HTMLElement Element Node NodeList MutationObserver IntersectionObserver ResizeObserver requestAnimationFrame
describe it test expect beforeEach afterEach beforeAll afterAll vi jest this super undefined NaN Infinity`;

const TS = `Partial Required Readonly Record Pick Omit Exclude Extract NonNullable ReturnType Parameters InstanceType
Awaited ThisType Uppercase Lowercase Capitalize Uncapitalize ConstructorParameters ReadonlyArray PromiseLike
ArrayLike Iterable IterableIterator AsyncIterable PropertyKey unknown never any`;

const PYTHON = `self cls print len range isinstance issubclass super object dict list tuple set frozenset str int float bool
bytes None True False Exception ValueError TypeError KeyError IndexError AttributeError RuntimeError NotImplementedError
StopIteration OSError IOError FileNotFoundError __init__ __name__ __main__ __all__ __file__ __repr__ __str__ __eq__
__call__ __enter__ __exit__ __getattr__ __dict__ __slots__ __future__ __version__ __pycache__ __post_init__ __new__
__hash__ __iter__ __next__ __len__ __getitem__ __setitem__ __aenter__ __aexit__ async_to_sync sync_to_async`;

const ENV = `NODE_ENV CI PATH HOME USER SHELL TMPDIR PWD LANG TERM EDITOR GITHUB_TOKEN GITHUB_ACTIONS GITHUB_SHA GITHUB_REF
GITHUB_WORKSPACE GITHUB_OUTPUT GITHUB_ENV RUNNER_OS NO_COLOR FORCE_COLOR DEBUG CLAUDE_PROJECT_DIR CLAUDE_CODE_ENTRYPOINT
ANTHROPIC_API_KEY OPENAI_API_KEY NODE_OPTIONS PYTHONPATH GOPATH GOOS GOARCH GOFLAGS CGO_ENABLED RUST_LOG RUST_BACKTRACE
CARGO_HOME VIRTUAL_ENV XDG_CONFIG_HOME XDG_CACHE_HOME LD_LIBRARY_PATH HTTP_PROXY HTTPS_PROXY NO_PROXY
SSH_AUTH_SOCK GIT_DIR GIT_WORK_TREE GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL`;

const PRODUCTS = `TypeScript JavaScript GitHub GitLab Bitbucket PostgreSQL MySQL MariaDB MongoDB SQLite DynamoDB GraphQL OpenAI
OpenAPI macOS iOS iPadOS tvOS watchOS visionOS npm pnpm PyPI VSCode VSCodium IntelliJ WebStorm PyCharm JetBrains LaTeX
YouTube LinkedIn WordPress WebAssembly WebSocket WebSockets WebGL WebGPU JSDoc TSDoc ESLint ESM CommonJS NodeJS DevTools
DevOps FastAPI NumPy SciPy PyTorch TensorFlow LangChain LlamaIndex HuggingFace Kubernetes PowerShell CloudFlare Cloudflare
CloudFormation DigitalOcean ChatGPT OAuth OAuth2 GitOps NextJS NestJS TailwindCSS SvelteKit SolidJS RxJS PhpStorm RubyMine
GoLand CLion DataGrip XCode Xcode AppKit UIKit SwiftUI JUnit PyTest pytest MkDocs README CHANGELOG LICENSE Dockerfile
Makefile Justfile Rakefile Gemfile Procfile Vagrantfile Jenkinsfile Brewfile Taskfile Earthfile CODEOWNERS`;

// Standard-library modules that rules name as the head of a member (`fs.readFileSync`,
// `os.path.join`, `fmt.Errorf`): never declared in the repository, always available.
const STDLIB = `fs path os url util http https http2 net dns tls crypto stream events assert zlib child_process
readline worker_threads cluster perf_hooks async_hooks timers querystring string_decoder vm v8 inspector
sys re json subprocess pathlib logging datetime typing collections itertools functools asyncio dataclasses
unittest argparse shutil tempfile glob io csv sqlite3 threading multiprocessing abc enum copy pickle uuid
hashlib base64 random math time contextlib inspect importlib pydantic traceback signal socket struct textwrap string
shlex platform getpass pprint decimal fractions statistics heapq bisect weakref types warnings secrets hmac zipfile
tarfile gzip urllib email html xml queue contextvars operator atexit codecs locale calendar zoneinfo
fmt errors context strings strconv bytes sync regexp filepath ioutil testing runtime reflect sort bufio flag log slog
slices maps atomic unsafe unicode utf8 exec embed httptest netip`;

// Names of naming conventions: rules about style write them in backticks, but they are words.
const CONVENTIONS = `camelCase lowerCamelCase UpperCamelCase PascalCase snake_case SNAKE_CASE SCREAMING_SNAKE_CASE
SCREAMING_CASE SCREAMING_SNAKE UPPER_CASE UPPER_SNAKE_CASE CONSTANT_CASE MACRO_CASE Title_Case Train_Case camel_Snake_Case
_private __private _internal`;

// Framework APIs rules teach whether or not the code calls them yet: React and Vue hooks.
const FRAMEWORK = `useState useEffect useContext useReducer useCallback useMemo useRef useImperativeHandle useLayoutEffect
useDebugValue useDeferredValue useTransition useId useSyncExternalStore useInsertionEffect useOptimistic useActionState
useFormStatus onMounted onUnmounted onBeforeMount onUpdated watchEffect defineProps defineEmits defineExpose
getServerSideProps getStaticProps getStaticPaths generateMetadata generateStaticParams`;

// Claude Code tools and hook events, which rules about permissions and hooks name.
const AGENT_TOOLS = `Bash Edit MultiEdit Write Read Grep Glob LS WebFetch WebSearch Task TodoWrite TodoRead NotebookEdit
NotebookRead ExitPlanMode BashOutput KillShell SlashCommand Skill PreToolUse PostToolUse UserPromptSubmit
SessionStart SessionEnd Stop SubagentStop Notification PreCompact PermissionRequest
subagent_type tool_name tool_input tool_response hook_event_name session_id transcript_path permission_mode
permissionDecision permissionDecisionReason additionalContext hookSpecificOutput systemMessage continue stopReason
suppressOutput alwaysApply applyTo fileMatchPattern`;

// Folders whose names are snake_case but never code: `node_modules`, `site_packages`.
const FOLDERS = `node_modules site_packages __pycache__ __tests__ __mocks__ __snapshots__ __fixtures__`;

export const BUILTIN_NAMES: ReadonlySet<string> = new Set([JS, TS, PYTHON, ENV, PRODUCTS, STDLIB, CONVENTIONS, FRAMEWORK, AGENT_TOOLS, FOLDERS].join(" ").split(/\s+/).filter(Boolean));
