package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
)

const (
	taskFile           = "../task-ml-buildpacks.yaml"
	mergeTaskFile      = "../task-ml-buildpacks-merge.yaml"
	pipelineFile       = "../pipeline-multiarch.yaml"
	pipelineRunExample = "../examples/pipelinerun-multiarch.yaml"
	taskRunExample     = "../examples/taskrun.yaml"
	tektonDocs         = "../../docs/tekton.md"
)

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func mustReplace(t *testing.T, s, old, new string) string {
	t.Helper()
	if !strings.Contains(s, old) {
		t.Fatalf("%q not found", old)
	}
	return strings.Replace(s, old, new, 1)
}

func loadTask(t *testing.T) *v1.Task {
	t.Helper()
	task, err := LoadTask(Context(), []byte(read(t, taskFile)), taskFile)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

// packageVersion is the project's version: the Tasks' and the Pipeline's defaults name its builder.
func packageVersion(t *testing.T) string {
	t.Helper()
	var pkg struct {
		Version string `json:"version"`
	}
	if err := json.Unmarshal([]byte(read(t, "../../package.json")), &pkg); err != nil {
		t.Fatal(err)
	}
	return pkg.Version
}

func loadFile(t *testing.T, file string) *v1.Task {
	t.Helper()
	task, err := LoadTask(Context(), []byte(read(t, file)), file)
	if err != nil {
		t.Fatal(err)
	}
	return task
}

func TestTaskIsValid(t *testing.T) {
	task := loadTask(t)
	params := map[string]v1.ParamSpec{}
	for _, p := range task.Spec.Params {
		params[p.Name] = p
	}
	for _, name := range []string{"APP_IMAGE", "BUILDER_IMAGE", "RUN_IMAGE", "PROCESS_TYPE", "SOURCE_SUBPATH", "ENV_VARS", "PLATFORM", "CACHE", "USER_ID", "GROUP_ID"} {
		if _, ok := params[name]; !ok {
			t.Errorf("param %s missing", name)
		}
	}
	if params["APP_IMAGE"].Default != nil {
		t.Error("APP_IMAGE must be required (no default)")
	}
	if params["ENV_VARS"].Type != v1.ParamTypeArray {
		t.Errorf("ENV_VARS is %s, want array", params["ENV_VARS"].Type)
	}
	for _, name := range []string{"RUN_IMAGE", "PROCESS_TYPE"} {
		if d := params[name].Default; d == nil || d.StringVal != "" {
			t.Errorf("%s must default to empty (the builder's / the buildpacks' choice)", name)
		}
	}
	// The published builder of this release, never a lab address.
	want := "ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-" + packageVersion(t)
	if got := params["BUILDER_IMAGE"].Default.StringVal; got != want {
		t.Errorf("BUILDER_IMAGE default %q, want %q", got, want)
	}
	if got := task.Annotations["tekton.dev/pipelines.minVersion"]; got != "0.44.0" {
		t.Errorf("tekton.dev/pipelines.minVersion %q: v0.44 is the first release serving tekton.dev/v1", got)
	}
	if got := task.Labels["app.kubernetes.io/version"]; got != packageVersion(t) {
		t.Errorf("app.kubernetes.io/version %q", got)
	}
	var results []string
	for _, r := range task.Spec.Results {
		results = append(results, r.Name)
	}
	// The names Tekton Chains reads to sign and attest the image.
	if strings.Join(results, ",") != "IMAGE_DIGEST,IMAGE_URL" {
		t.Errorf("results %v", results)
	}
	ws := map[string]bool{}
	for _, w := range task.Spec.Workspaces {
		ws[w.Name] = w.Optional
	}
	if opt, ok := ws["source"]; !ok || opt {
		t.Error("workspace source must be required")
	}
	if !ws["cache"] || !ws["dockerconfig"] {
		t.Error("workspaces cache and dockerconfig must be optional")
	}
}

func TestMergeTaskIsValid(t *testing.T) {
	task := loadFile(t, mergeTaskFile)
	params := map[string]v1.ParamSpec{}
	for _, p := range task.Spec.Params {
		params[p.Name] = p
	}
	if params["IMAGE"].Default != nil || params["IMAGES"].Default != nil || params["IMAGES"].Type != v1.ParamTypeArray {
		t.Error("IMAGE (string) and IMAGES (array) must be required")
	}
	if got, want := params["BUILDER_IMAGE"].Default.StringVal, "ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-"+packageVersion(t); got != want {
		t.Errorf("BUILDER_IMAGE default %q, want %q", got, want)
	}
	if task.Annotations["tekton.dev/pipelines.minVersion"] != "0.44.0" {
		t.Error("tekton.dev/pipelines.minVersion must be 0.44.0")
	}
}

func loadPipeline(t *testing.T, doc string) *v1.Pipeline {
	t.Helper()
	p, err := LoadPipeline(Context(), []byte(doc), pipelineFile)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func tasksByName(t *testing.T) map[string]*v1.Task {
	t.Helper()
	return map[string]*v1.Task{"ml-buildpacks": loadTask(t), "ml-buildpacks-merge": loadFile(t, mergeTaskFile)}
}

func TestPipelineIsValidWithStableFieldsAndItsTasks(t *testing.T) {
	p := loadPipeline(t, read(t, pipelineFile))
	var names []string
	for _, pt := range p.Spec.Tasks {
		names = append(names, pt.Name)
		if pt.Matrix != nil {
			t.Errorf("%s: a matrix gives every TaskRun the same pipeline task name, so taskRunSpecs cannot place them per arch", pt.Name)
		}
	}
	if strings.Join(names, ",") != "build-amd64,build-arm64,merge" {
		t.Errorf("pipeline tasks %v", names)
	}
	if len(p.Spec.Results) != 2 || p.Spec.Results[0].Name != "IMAGE_DIGEST" {
		t.Errorf("pipeline results %v", p.Spec.Results)
	}
	if p.Annotations["tekton.dev/pipelines.minVersion"] != "0.44.0" {
		t.Error("tekton.dev/pipelines.minVersion must be 0.44.0")
	}
	if err := CheckPipelineTasks(Context(), p, tasksByName(t)); err != nil {
		t.Fatal(err)
	}
	// Context() allows stable fields only: a beta field (matrix) is refused there.
	withMatrix := mustReplace(t, read(t, pipelineFile), "    - name: build-arm64\n", "    - name: build-arm64\n      matrix:\n        params:\n          - name: X\n            value: [a, b]\n")
	if _, err := LoadPipeline(Context(), []byte(withMatrix), "matrix.yaml"); err == nil || !strings.Contains(err.Error(), "matrix") {
		t.Fatalf("want a feature-flag error for matrix with stable fields only, got %v", err)
	}
}

func TestPipelineTaskParamsAreCheckedAgainstTheTasks(t *testing.T) {
	typo := loadPipeline(t, mustReplace(t, read(t, pipelineFile), "        - name: PROCESS_TYPE\n", "        - name: PROCESS_TYPO\n"))
	if err := CheckPipelineTasks(Context(), typo, tasksByName(t)); err == nil || !strings.Contains(err.Error(), "has no param PROCESS_TYPO") {
		t.Fatalf("want an unknown-param error, got %v", err)
	}
	missing := loadPipeline(t, mustReplace(t, read(t, pipelineFile), "        - name: APP_IMAGE\n          value: $(params.IMAGE)-arm64\n", ""))
	if err := CheckPipelineTasks(Context(), missing, tasksByName(t)); err == nil || !strings.Contains(err.Error(), "[APP_IMAGE]") {
		t.Fatalf("want a missing APP_IMAGE error, got %v", err)
	}
}

// Whatever a Task can be given a workspace for (caches, credentials, a signing key, an SBOM dir), the
// Pipeline's users must be able to give it too: every Task workspace is bound by each pipeline task,
// and signing's SIGN_OFFLINE reaches all three tasks.
func TestPipelinePassesEveryTaskWorkspaceAndSignOffline(t *testing.T) {
	p := loadPipeline(t, read(t, pipelineFile))
	tasks := tasksByName(t)
	for _, pt := range p.Spec.Tasks {
		bound := map[string]bool{}
		for _, w := range pt.Workspaces {
			bound[w.Name] = true
		}
		for _, w := range tasks[pt.TaskRef.Name].Spec.Workspaces {
			if !bound[w.Name] {
				t.Errorf("%s: the Task's workspace %q is not passed by the Pipeline", pt.Name, w.Name)
			}
		}
		offline := false
		for _, param := range pt.Params {
			offline = offline || (param.Name == "SIGN_OFFLINE" && param.Value.StringVal == "$(params.SIGN_OFFLINE)")
		}
		if !offline {
			t.Errorf("%s: SIGN_OFFLINE is not passed from the Pipeline's param", pt.Name)
		}
	}
}

func loadRun(t *testing.T, doc string) (*v1.PipelineRun, error) {
	t.Helper()
	return LoadPipelineRun(Context(), []byte(doc), "pipelinerun.yaml")
}

func TestExamplePipelineRunPlacesEachArchOnItsNodes(t *testing.T) {
	p := loadPipeline(t, read(t, pipelineFile))
	example := read(t, pipelineRunExample)
	pr, err := loadRun(t, example)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPipelineRun(p, pr); err != nil {
		t.Fatal(err)
	}
	// Without a nodeSelector for one arch, or with the wrong one, the check names the task.
	for _, bad := range []string{
		mustReplace(t, example, "    - pipelineTaskName: build-arm64\n      podTemplate:\n        nodeSelector:\n          kubernetes.io/arch: arm64\n", ""),
		mustReplace(t, example, "kubernetes.io/arch: arm64", "kubernetes.io/arch: amd64"),
	} {
		pr, err := loadRun(t, bad)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckPipelineRun(p, pr); err == nil || !strings.Contains(err.Error(), `pipeline task "build-arm64" builds linux/arm64`) {
			t.Errorf("want a placement error for build-arm64, got %v", err)
		}
	}
	// The reconciler's own checks: a taskRunSpec for a task the Pipeline lacks, a missing workspace.
	pr, err = loadRun(t, mustReplace(t, example, "pipelineTaskName: build-amd64", "pipelineTaskName: build-x86"))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPipelineRun(p, pr); err == nil || !strings.Contains(err.Error(), "build-x86") {
		t.Errorf("want a taskRunSpecs error, got %v", err)
	}
	pr, err = loadRun(t, mustReplace(t, example, "    - name: source\n", "    - name: sources\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckPipelineRun(p, pr); err == nil || !strings.Contains(err.Error(), `workspace with name "source"`) {
		t.Errorf("want a missing-workspace error, got %v", err)
	}
}

func TestUnknownFieldIsRejected(t *testing.T) {
	bad := mustReplace(t, read(t, taskFile), "      script: |", "      scripts: |")
	_, err := LoadTask(Context(), []byte(bad), "bad.yaml")
	if err == nil || !strings.Contains(err.Error(), `unknown field "scripts"`) {
		t.Fatalf("want an unknown-field error naming scripts, got %v", err)
	}
	badPipeline := mustReplace(t, read(t, pipelineFile), "      taskRef:", "      taskReff:")
	_, err = LoadPipeline(Context(), []byte(badPipeline), "bad.yaml")
	if err == nil || !strings.Contains(err.Error(), "taskReff") {
		t.Fatalf("want an unknown-field error naming taskReff, got %v", err)
	}
	badRun := mustReplace(t, read(t, pipelineRunExample), "      podTemplate:", "      taskPodTemplate:")
	if _, err = loadRun(t, badRun); err == nil || !strings.Contains(err.Error(), "taskPodTemplate") {
		t.Fatalf("want an unknown-field error naming taskPodTemplate (the v1beta1 name), got %v", err)
	}
}

func TestUndeclaredParamReferenceIsRejected(t *testing.T) {
	bad := mustReplace(t, read(t, taskFile), "value: $(params.APP_IMAGE)", "value: $(params.APP_IMAG)")
	_, err := LoadTask(Context(), []byte(bad), "bad.yaml")
	if err == nil || !strings.Contains(err.Error(), "params.APP_IMAG") {
		t.Fatalf("want an error naming the undeclared param, got %v", err)
	}
}

func taskRun(t *testing.T, params string, workspaces string) *v1.TaskRun {
	t.Helper()
	doc := "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: tr\nspec:\n  taskRef:\n    name: ml-buildpacks\n" +
		params + "  workspaces:\n" + workspaces
	tr, err := LoadTaskRun(Context(), []byte(doc), "taskrun.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

var tektonRef = regexp.MustCompile(`\$\((params|workspaces|results|context|steps?)\.`)

const sourceOnly = "    - name: source\n      emptyDir: {}\n"

func TestTaskRunWithoutAppImageIsRejected(t *testing.T) {
	tr := taskRun(t, "  params:\n    - name: PLATFORM\n      value: linux/amd64\n", sourceOnly)
	_, err := Resolve(Context(), loadTask(t), tr)
	if err == nil || !strings.Contains(err.Error(), "missing values for these params which have no default values: [APP_IMAGE]") {
		t.Fatalf("want a missing-parameter error naming APP_IMAGE, got %v", err)
	}
}

func TestTaskRunWithoutSourceWorkspaceIsRejected(t *testing.T) {
	tr := taskRun(t, "  params:\n    - name: APP_IMAGE\n      value: r/a:1\n", "    - name: cache\n      emptyDir: {}\n")
	_, err := Resolve(Context(), loadTask(t), tr)
	if err == nil || !strings.Contains(err.Error(), "source") {
		t.Fatalf("want an error naming the source workspace, got %v", err)
	}
}

func TestResolveSubstitutesLikeTheReconciler(t *testing.T) {
	tr := taskRun(t,
		"  params:\n    - name: APP_IMAGE\n      value: 127.0.0.1:5000/team/app:1\n"+
			"    - name: SOURCE_SUBPATH\n      value: examples/hello\n"+
			"    - name: ENV_VARS\n      value: [\"A=1\", \"B=two words\"]\n",
		sourceOnly+"    - name: cache\n      emptyDir: {}\n")
	r, err := Resolve(Context(), loadTask(t), tr)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Steps) != 2 {
		t.Fatalf("steps %d", len(r.Steps))
	}
	build, results := r.Steps[0], r.Steps[1]
	want := map[string]string{
		"APP_IMAGE":          "127.0.0.1:5000/team/app:1",
		"APP_DIR":            "/ml-buildpacks/source/examples/hello",
		"CACHE":              "true",
		"CACHE_BOUND":        "true",
		"CACHE_DIR":          "/ml-buildpacks/cache",
		"DOCKERCONFIG_BOUND": "false",
		"USER_ID":            "",
	}
	for k, v := range want {
		if build.Env[k] != v {
			t.Errorf("build env %s = %q, want %q", k, build.Env[k], v)
		}
	}
	if strings.Join(build.Args, "|") != "A=1|B=two words" {
		t.Errorf("build args %q", build.Args)
	}
	if build.RunAsUser == nil || *build.RunAsUser != 0 {
		t.Error("the build step must run as root")
	}
	if !strings.Contains(build.Script, "--executor local") {
		t.Error("the build step must use the local executor")
	}
	if results.Env["IMAGE_DIGEST_PATH"] != "/tekton/results/IMAGE_DIGEST" || results.Env["IMAGE_URL_PATH"] != "/tekton/results/IMAGE_URL" {
		t.Errorf("results paths %v", results.Env)
	}
	if r.Workspaces["source"] != "/ml-buildpacks/source" || r.Workspaces["cache"] != "/ml-buildpacks/cache" {
		t.Errorf("workspaces %v", r.Workspaces)
	}
	if _, ok := r.Workspaces["dockerconfig"]; ok {
		t.Error("an unbound workspace must not be mounted")
	}
	for _, s := range r.Steps {
		if tektonRef.MatchString(s.Script + strings.Join(s.Args, " ")) {
			t.Errorf("step %s has an unresolved reference", s.Name)
		}
		for k, v := range s.Env {
			if tektonRef.MatchString(v) {
				t.Errorf("step %s env %s unresolved: %s", s.Name, k, v)
			}
		}
	}
}

func TestScriptWithoutShebangGetsTektonsDefault(t *testing.T) {
	doc := mustReplace(t, read(t, taskFile), "        #!/bin/sh\n        set -eu\n        n=$#", "        n=$#")
	task, err := LoadTask(Context(), []byte(doc), "noshebang.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(Context(), task, taskRun(t, "  params:\n    - name: APP_IMAGE\n      value: r/a:1\n", sourceOnly))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(r.Steps[0].Script, "#!/bin/sh\nset -e\nn=$#") {
		t.Errorf("script %q", r.Steps[0].Script[:40])
	}
}

func TestMergeTaskTurnsImagesIntoFromFlags(t *testing.T) {
	doc := "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: merge\nspec:\n  taskRef:\n    name: ml-buildpacks-merge\n  params:\n" +
		"    - name: IMAGE\n      value: r/app:1\n" +
		"    - name: IMAGES\n      value: [linux/amd64=r/app:1-amd64@sha256:aa, linux/arm64=r/app:1-arm64@sha256:bb]\n"
	tr, err := LoadTaskRun(Context(), []byte(doc), "merge.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(Context(), loadFile(t, mergeTaskFile), tr)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Steps[0].Args, " "); got != "linux/amd64=r/app:1-amd64@sha256:aa linux/arm64=r/app:1-arm64@sha256:bb" {
		t.Errorf("merge args %q", got)
	}
	argv, out := runWithStubCLI(t, r.Steps[0], r.ResultsDir)
	want := "manifest create --image r/app:1 --from linux/amd64=r/app:1-amd64@sha256:aa --from linux/arm64=r/app:1-arm64@sha256:bb"
	if argv != want {
		t.Errorf("CLI argv %q, want %q", argv, want)
	}
	if out["IMAGE_URL"] != "r/app:1" || out["IMAGE_DIGEST"] != "sha256:stub" {
		t.Errorf("results %v", out)
	}
}

// runWithStubCLI runs a resolved step's script with sh and a stub ml-buildpacks on PATH that records
// its arguments (and prints a digest, as the CLI's last line): what the step passes to the CLI.
func runWithStubCLI(t *testing.T, step ResolvedStep, resultsDir string) (string, map[string]string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	results := filepath.Join(dir, "results")
	for _, d := range []string{bin, results} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	argvFile := filepath.Join(dir, "argv")
	stub := "#!/bin/sh\nprintf '%s ' \"$@\" > " + argvFile + "\necho sha256:stub\n"
	if err := os.WriteFile(filepath.Join(bin, "ml-buildpacks"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", append([]string{"-s", "--"}, step.Args...)...)
	cmd.Stdin = strings.NewReader(step.Script)
	cmd.Env = []string{"PATH=" + bin + ":/usr/bin:/bin"}
	for k, v := range step.Env {
		cmd.Env = append(cmd.Env, k+"="+strings.ReplaceAll(v, resultsDir, results))
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("step %s: %v\n%s", step.Name, err, out)
	}
	argv, err := os.ReadFile(argvFile)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	entries, _ := os.ReadDir(results)
	for _, e := range entries {
		data, _ := os.ReadFile(filepath.Join(results, e.Name()))
		out[e.Name()] = string(data)
	}
	return strings.TrimSpace(string(argv)), out
}

func TestBuildStepPassesRunImageProcessTypeAndBuilderToTheCLI(t *testing.T) {
	tr := taskRun(t,
		"  params:\n    - name: APP_IMAGE\n      value: r/app:1\n"+
			"    - name: RUN_IMAGE\n      value: mirror.example.com/ml/run:cpu-1.0\n"+
			"    - name: PROCESS_TYPE\n      value: web\n"+
			"    - name: PLATFORM\n      value: linux/arm64\n"+
			"    - name: ENV_VARS\n      value: [\"A=1\", \"B=two words\"]\n",
		sourceOnly)
	r, err := Resolve(Context(), loadTask(t), tr)
	if err != nil {
		t.Fatal(err)
	}
	argv, _ := runWithStubCLI(t, r.Steps[0], r.ResultsDir)
	for _, want := range []string{
		"build /ml-buildpacks/source/ --image r/app:1 --builder ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-" + packageVersion(t),
		"--env A=1 --env B=two words",
		"--platform linux/arm64",
		"--run-image mirror.example.com/ml/run:cpu-1.0",
		"--default-process web",
	} {
		if !strings.Contains(argv, want) {
			t.Errorf("CLI argv %q lacks %q", argv, want)
		}
	}
	// Empty RUN_IMAGE and PROCESS_TYPE (the defaults) pass neither flag.
	r, err = Resolve(Context(), loadTask(t), taskRun(t, "  params:\n    - name: APP_IMAGE\n      value: r/app:1\n", sourceOnly))
	if err != nil {
		t.Fatal(err)
	}
	argv, _ = runWithStubCLI(t, r.Steps[0], r.ResultsDir)
	if strings.Contains(argv, "--run-image") || strings.Contains(argv, "--default-process") {
		t.Errorf("CLI argv %q: no --run-image/--default-process by default", argv)
	}
}

// The YAML the user manual shows is what Tekton accepts: every TaskRun and PipelineRun in
// docs/tekton.md, and the example files, are checked against the Tasks and the Pipeline.
func TestDocsAndExamplesAreValidRuns(t *testing.T) {
	tasks := tasksByName(t)
	p := loadPipeline(t, read(t, pipelineFile))
	docs := []string{read(t, taskRunExample), read(t, pipelineRunExample)}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(read(t, tektonDocs), -1)
	for _, b := range blocks {
		if strings.Contains(b[1], "kind: TaskRun") || strings.Contains(b[1], "kind: PipelineRun") {
			docs = append(docs, b[1])
		}
	}
	if len(docs) < 4 {
		t.Fatalf("docs/tekton.md shows %d runs, want a TaskRun and a PipelineRun at least", len(docs)-2)
	}
	for i, doc := range docs {
		if strings.Contains(doc, "kind: PipelineRun") {
			pr, err := loadRun(t, doc)
			if err == nil {
				err = CheckPipelineRun(p, pr)
			}
			if err != nil {
				t.Errorf("run %d: %v", i, err)
			}
			continue
		}
		tr, err := LoadTaskRun(Context(), []byte(doc), "doc.yaml")
		if err != nil {
			t.Errorf("run %d: %v", i, err)
			continue
		}
		task, ok := tasks[tr.Spec.TaskRef.Name]
		if !ok {
			t.Errorf("run %d: taskRef %s", i, tr.Spec.TaskRef.Name)
			continue
		}
		if _, err := Resolve(Context(), task, tr); err != nil {
			t.Errorf("run %d: %v", i, err)
		}
	}
}
