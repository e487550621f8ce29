package main

import (
	"strings"
	"testing"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
)

const rebaseTaskFile = "../task-ml-buildpacks-rebase.yaml"

func TestRebaseTaskIsValid(t *testing.T) {
	task := loadFile(t, rebaseTaskFile)
	params := map[string]v1.ParamSpec{}
	for _, p := range task.Spec.Params {
		params[p.Name] = p
	}
	if params["IMAGE"].Default != nil {
		t.Error("IMAGE must be required")
	}
	if d := params["RUN_IMAGE"].Default; d == nil || d.StringVal != "" {
		t.Error("RUN_IMAGE must default to empty (the run image each image was built on)")
	}
	if got, want := params["BUILDER_IMAGE"].Default.StringVal, "ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-"+packageVersion(t); got != want {
		t.Errorf("BUILDER_IMAGE default %q, want %q", got, want)
	}
	if task.Annotations["tekton.dev/pipelines.minVersion"] != "0.44.0" {
		t.Error("tekton.dev/pipelines.minVersion must be 0.44.0")
	}
	for _, w := range task.Spec.Workspaces {
		if !w.Optional {
			t.Errorf("workspace %s must be optional", w.Name)
		}
	}
}

func rebaseArgv(t *testing.T, params string) (string, map[string]string) {
	t.Helper()
	doc := "apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: rebase\nspec:\n  taskRef:\n    name: ml-buildpacks-rebase\n  params:\n" + params
	tr, err := LoadTaskRun(Context(), []byte(doc), "rebase.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := Resolve(Context(), loadFile(t, rebaseTaskFile), tr)
	if err != nil {
		t.Fatal(err)
	}
	return runWithStubCLI(t, r.Steps[0], r.ResultsDir)
}

func TestRebaseTaskRunsTheCLIWithTheLocalExecutor(t *testing.T) {
	argv, out := rebaseArgv(t, "    - name: IMAGE\n      value: r/app:1\n")
	want := "rebase --image r/app:1 --builder ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-" + packageVersion(t) + " --executor local"
	if argv != want {
		t.Errorf("CLI argv %q, want %q", argv, want)
	}
	if out["IMAGE_URL"] != "r/app:1" || out["IMAGE_DIGEST"] != "sha256:stub" {
		t.Errorf("results %v", out)
	}
	argv, _ = rebaseArgv(t, "    - name: IMAGE\n      value: r/app:1\n    - name: RUN_IMAGE\n      value: r/run:patched\n    - name: BUILDER_IMAGE\n      value: r/builder:cpu\n")
	if want := "rebase --image r/app:1 --builder r/builder:cpu --executor local --run-image r/run:patched"; argv != want {
		t.Errorf("CLI argv %q, want %q", argv, want)
	}
}

func TestRebaseTaskSignsWithTheSigningKeyWorkspace(t *testing.T) {
	argv, _ := rebaseArgv(t, "    - name: IMAGE\n      value: r/app:1\n    - name: SIGN_OFFLINE\n      value: \"true\"\n"+
		"  workspaces:\n    - name: signing-key\n      emptyDir: {}\n")
	want := "rebase --image r/app:1 --builder ghcr.io/ml-buildpacks/ml-buildpacks/builder:cpu-" + packageVersion(t) +
		" --executor local --sign-key /ml-buildpacks/signing-key/cosign.key --sign-offline"
	if argv != want {
		t.Errorf("CLI argv %q, want %q", argv, want)
	}
	// Unbound, SIGN_OFFLINE alone signs nothing.
	argv, _ = rebaseArgv(t, "    - name: IMAGE\n      value: r/app:1\n    - name: SIGN_OFFLINE\n      value: \"true\"\n")
	if strings.Contains(argv, "--sign") {
		t.Errorf("CLI argv %q signs without the signing-key workspace", argv)
	}
}
