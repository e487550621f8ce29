package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/tektoncd/pipeline/pkg/apis/config"
	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
)

const (
	taskFile     = "../task-ml-buildpacks.yaml"
	pipelineFile = "../pipeline-multiarch.yaml"
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
	// The published builder of this release, never a lab address.
	if got := params["BUILDER_IMAGE"].Default.StringVal; got != "ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-1.0.0" {
		t.Errorf("BUILDER_IMAGE default %q", got)
	}
	if got := task.Annotations["tekton.dev/pipelines.minVersion"]; got == "" {
		t.Error("the annotation tekton.dev/pipelines.minVersion is missing")
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

func TestPipelineIsValid(t *testing.T) {
	p, err := LoadPipeline(Context(), []byte(read(t, pipelineFile)), pipelineFile)
	if err != nil {
		t.Fatal(err)
	}
	if p.Spec.Tasks[0].Matrix == nil || len(p.Spec.Tasks[0].Matrix.Include) != 2 {
		t.Error("the build task must fan out over two platforms")
	}
	if len(p.Spec.Results) != 2 || p.Spec.Results[0].Name != "IMAGE_DIGEST" {
		t.Errorf("pipeline results %v", p.Spec.Results)
	}
}

func TestPipelineMatrixNeedsBetaNotStableFields(t *testing.T) {
	flags, err := config.NewFeatureFlagsFromMap(map[string]string{"enable-api-fields": "stable"})
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.FromContextOrDefaults(context.Background())
	cfg.FeatureFlags = flags
	_, err = LoadPipeline(config.ToContext(context.Background(), cfg), []byte(read(t, pipelineFile)), pipelineFile)
	if err == nil || !strings.Contains(err.Error(), "matrix") {
		t.Fatalf("want a matrix feature-flag error with stable fields only, got %v", err)
	}
}

func TestUnknownFieldIsRejected(t *testing.T) {
	bad := mustReplace(t, read(t, taskFile), "      script: |", "      scripts: |")
	_, err := LoadTask(Context(), []byte(bad), "bad.yaml")
	if err == nil || !strings.Contains(err.Error(), `unknown field "scripts"`) {
		t.Fatalf("want an unknown-field error naming scripts, got %v", err)
	}
	badPipeline := mustReplace(t, read(t, pipelineFile), "      matrix:", "      matrixx:")
	_, err = LoadPipeline(Context(), []byte(badPipeline), "bad.yaml")
	if err == nil || !strings.Contains(err.Error(), "matrixx") {
		t.Fatalf("want an unknown-field error naming matrixx, got %v", err)
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

func TestPipelineMergeTaskResolvesThePerArchResults(t *testing.T) {
	p, err := LoadPipeline(Context(), []byte(read(t, pipelineFile)), pipelineFile)
	if err != nil {
		t.Fatal(err)
	}
	task, err := EmbeddedTask(Context(), p, "merge")
	if err != nil {
		t.Fatal(err)
	}
	doc := "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: merge\nspec:\n  taskRef:\n    name: merge\n  params:\n" +
		"    - name: IMAGE\n      value: r/app:1\n    - name: BUILDER_IMAGE\n      value: r/builder:cpu\n" +
		"    - name: IMAGE_URLS\n      value: [r/app:1-amd64, r/app:1-arm64]\n" +
		"    - name: IMAGE_DIGESTS\n      value: [sha256:aa, sha256:bb]\n"
	tr, err := LoadTaskRun(Context(), []byte(doc), "merge.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(Context(), task, tr)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Steps[0].Args, " "); got != "r/app:1-amd64 r/app:1-arm64 -- sha256:aa sha256:bb" {
		t.Errorf("merge args %q", got)
	}
	if _, err := EmbeddedTask(Context(), p, "build"); err == nil {
		t.Error("build uses a taskRef, not an inline taskSpec")
	}
}
