// Package main validates the ml-buildpacks Tekton Tasks, Pipeline and example runs with Tekton's own
// Go code and resolves a TaskRun's steps exactly as the TaskRun reconciler substitutes them, for the
// e2e test that then runs those steps as containers.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/tektoncd/pipeline/pkg/apis/config"
	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
	prresources "github.com/tektoncd/pipeline/pkg/reconciler/pipelinerun/resources"
	"github.com/tektoncd/pipeline/pkg/reconciler/taskrun"
	"github.com/tektoncd/pipeline/pkg/reconciler/taskrun/resources"
	"github.com/tektoncd/pipeline/pkg/workspace"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

// Context validates with stable API fields only: the Tasks and the Pipeline need no feature flag
// (a beta or alpha field is an error here).
func Context() context.Context {
	flags, err := config.NewFeatureFlagsFromMap(map[string]string{"enable-api-fields": "stable"})
	if err != nil {
		panic(err)
	}
	cfg := config.FromContextOrDefaults(context.Background())
	cfg.FeatureFlags = flags
	return config.ToContext(context.Background(), cfg)
}

// decodeStrict rejects unknown fields and duplicate keys, as `kubectl apply --validate=strict` does.
func decodeStrict(data []byte, into any, file string) error {
	if err := yaml.UnmarshalStrict(data, into); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// LoadTask decodes, defaults and validates a Task.
func LoadTask(ctx context.Context, data []byte, file string) (*v1.Task, error) {
	var task v1.Task
	if err := decodeStrict(data, &task, file); err != nil {
		return nil, err
	}
	if task.APIVersion != "tekton.dev/v1" || task.Kind != "Task" {
		return nil, fmt.Errorf("%s: want apiVersion tekton.dev/v1, kind Task; got %s, %s", file, task.APIVersion, task.Kind)
	}
	task.SetDefaults(ctx)
	if ferr := task.Validate(ctx); ferr != nil {
		return nil, fmt.Errorf("%s: %w", file, ferr)
	}
	return &task, nil
}

// LoadPipeline decodes, defaults and validates a Pipeline.
func LoadPipeline(ctx context.Context, data []byte, file string) (*v1.Pipeline, error) {
	var p v1.Pipeline
	if err := decodeStrict(data, &p, file); err != nil {
		return nil, err
	}
	if p.APIVersion != "tekton.dev/v1" || p.Kind != "Pipeline" {
		return nil, fmt.Errorf("%s: want apiVersion tekton.dev/v1, kind Pipeline; got %s, %s", file, p.APIVersion, p.Kind)
	}
	p.SetDefaults(ctx)
	if ferr := p.Validate(ctx); ferr != nil {
		return nil, fmt.Errorf("%s: %w", file, ferr)
	}
	return &p, nil
}

// LoadTaskRun decodes, defaults and validates a TaskRun (its taskRef is resolved to the given Task).
func LoadTaskRun(ctx context.Context, data []byte, file string) (*v1.TaskRun, error) {
	var tr v1.TaskRun
	if err := decodeStrict(data, &tr, file); err != nil {
		return nil, err
	}
	named(&tr.ObjectMeta)
	tr.SetDefaults(ctx)
	if ferr := tr.Validate(ctx); ferr != nil {
		return nil, fmt.Errorf("%s: %w", file, ferr)
	}
	return &tr, nil
}

// named gives a run created with generateName (kubectl create) the kind of name the API server would.
func named(m *metav1.ObjectMeta) {
	if m.Name == "" && m.GenerateName != "" {
		m.Name = m.GenerateName + "x1y2z"
	}
}

// LoadPipelineRun decodes, defaults and validates a PipelineRun.
func LoadPipelineRun(ctx context.Context, data []byte, file string) (*v1.PipelineRun, error) {
	var pr v1.PipelineRun
	if err := decodeStrict(data, &pr, file); err != nil {
		return nil, err
	}
	if pr.APIVersion != "tekton.dev/v1" || pr.Kind != "PipelineRun" {
		return nil, fmt.Errorf("%s: want apiVersion tekton.dev/v1, kind PipelineRun; got %s, %s", file, pr.APIVersion, pr.Kind)
	}
	named(&pr.ObjectMeta)
	pr.SetDefaults(ctx)
	if ferr := pr.Validate(ctx); ferr != nil {
		return nil, fmt.Errorf("%s: %w", file, ferr)
	}
	return &pr, nil
}

// CheckPipelineTasks resolves every pipeline task's taskRef to one of the given Tasks (by name) and
// checks it as the reconciler does when it creates the TaskRun (missing required params, param
// types), plus what Tekton lets pass silently: a param or workspace the Task does not declare.
func CheckPipelineTasks(ctx context.Context, p *v1.Pipeline, tasks map[string]*v1.Task) error {
	for _, pt := range append(append([]v1.PipelineTask{}, p.Spec.Tasks...), p.Spec.Finally...) {
		if pt.TaskRef == nil {
			continue
		}
		task, ok := tasks[pt.TaskRef.Name]
		if !ok {
			return fmt.Errorf("pipeline task %q: taskRef %q is none of the Tasks given", pt.Name, pt.TaskRef.Name)
		}
		rtr := &resources.ResolvedTask{TaskName: task.Name, Kind: v1.NamespacedTaskKind, TaskSpec: &task.Spec}
		if err := taskrun.ValidateResolvedTask(ctx, pt.Params, pt.Matrix, rtr); err != nil {
			return fmt.Errorf("pipeline task %q: %w", pt.Name, err)
		}
		declared := map[string]bool{}
		for _, ps := range task.Spec.Params {
			declared[ps.Name] = true
		}
		for _, param := range pt.Params {
			if !declared[param.Name] {
				return fmt.Errorf("pipeline task %q: Task %s has no param %s", pt.Name, task.Name, param.Name)
			}
		}
		taskWorkspaces := map[string]v1.WorkspaceDeclaration{}
		for _, w := range task.Spec.Workspaces {
			taskWorkspaces[w.Name] = w
		}
		bound := map[string]bool{}
		for _, w := range pt.Workspaces {
			if _, ok := taskWorkspaces[w.Name]; !ok {
				return fmt.Errorf("pipeline task %q: Task %s has no workspace %s", pt.Name, task.Name, w.Name)
			}
			bound[w.Name] = true
		}
		for _, w := range task.Spec.Workspaces {
			if !w.Optional && !bound[w.Name] {
				return fmt.Errorf("pipeline task %q: Task %s needs workspace %s", pt.Name, task.Name, w.Name)
			}
		}
	}
	return nil
}

// ArchLabel is the node label the kubelet sets to the node's architecture.
const ArchLabel = "kubernetes.io/arch"

// CheckPipelineRun runs the reconciler's checks of a PipelineRun against its Pipeline (workspaces,
// taskRunSpecs, params), then the placement a multi-arch build needs: every pipeline task that
// builds for a fixed PLATFORM (linux/<arch>) gets a TaskRun whose pod template selects nodes of that
// architecture, since the Task runs the builder's lifecycle natively.
func CheckPipelineRun(p *v1.Pipeline, pr *v1.PipelineRun) error {
	if pr.Spec.PipelineRef == nil || pr.Spec.PipelineRef.Name != p.Name {
		return fmt.Errorf("pipelineRef must name Pipeline %q", p.Name)
	}
	if err := prresources.ValidateWorkspaceBindings(&p.Spec, pr); err != nil {
		return err
	}
	if err := prresources.ValidateTaskRunSpecs(&p.Spec, pr); err != nil {
		return err
	}
	if err := prresources.ValidateParamTypesMatching(&p.Spec, pr); err != nil {
		return err
	}
	if err := prresources.ValidateRequiredParametersProvided(&p.Spec.Params, &pr.Spec.Params); err != nil {
		return err
	}
	specs := map[string]v1.PipelineTaskRunSpec{}
	for _, s := range pr.Spec.TaskRunSpecs {
		specs[s.PipelineTaskName] = s
	}
	for _, pt := range p.Spec.Tasks {
		var arch string
		for _, param := range pt.Params {
			if param.Name == "PLATFORM" && strings.HasPrefix(param.Value.StringVal, "linux/") {
				arch = strings.TrimPrefix(param.Value.StringVal, "linux/")
			}
		}
		if arch == "" {
			continue
		}
		var selected string
		if s, ok := specs[pt.Name]; ok && s.PodTemplate != nil {
			selected = s.PodTemplate.NodeSelector[ArchLabel]
		}
		if selected != arch {
			return fmt.Errorf("pipeline task %q builds linux/%s but its TaskRun may land on a node of another architecture: "+
				"give it taskRunSpecs[].podTemplate.nodeSelector %s: %s (found %q)", pt.Name, arch, ArchLabel, arch, selected)
		}
	}
	return nil
}

// ResolvedStep is one step after the reconciler's substitutions, with its script as the entrypoint
// would run it.
type ResolvedStep struct {
	Name       string            `json:"name"`
	Image      string            `json:"image"`
	Script     string            `json:"script"`
	Args       []string          `json:"args"`
	Env        map[string]string `json:"env"`
	WorkingDir string            `json:"workingDir"`
	RunAsUser  *int64            `json:"runAsUser,omitempty"`
	RunAsGroup *int64            `json:"runAsGroup,omitempty"`
	Mounts     []Mount           `json:"volumeMounts"`
}

// Mount is a step's volume mount: a Task volume (emptyDir) or a workspace.
type Mount struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
	ReadOnly  bool   `json:"readOnly"`
	// Workspace is the workspace's name when the mount is a bound workspace.
	Workspace string `json:"workspace,omitempty"`
}

// Resolved is what a TaskRun's pod would run.
type Resolved struct {
	Steps []ResolvedStep `json:"steps"`
	// ResultsDir is where $(results.NAME.path) points (/tekton/results/NAME).
	ResultsDir string `json:"resultsDir"`
	// Workspaces maps each bound workspace to its mount path.
	Workspaces map[string]string `json:"workspaces"`
}

// defaultScriptPrefix is what Tekton's pod builder puts before a script without a shebang.
const defaultScriptPrefix = "#!/bin/sh\nset -e\n"

// Resolve checks the TaskRun's params against the Task as the reconciler does (a missing required
// param fails here) and applies params, context, results and workspaces substitution with
// Tekton's own functions, in the reconciler's order.
func Resolve(ctx context.Context, task *v1.Task, tr *v1.TaskRun) (*Resolved, error) {
	rtr := &resources.ResolvedTask{TaskName: task.Name, Kind: v1.NamespacedTaskKind, TaskSpec: &task.Spec}
	if err := taskrun.ValidateResolvedTask(ctx, tr.Spec.Params, nil, rtr); err != nil {
		return nil, err
	}
	if err := taskrun.ValidateEnumParam(ctx, tr.Spec.Params, task.Spec.Params); err != nil {
		return nil, err
	}
	if err := workspace.ValidateBindings(ctx, task.Spec.Workspaces, tr.Spec.Workspaces); err != nil {
		return nil, err
	}
	ts := task.Spec.DeepCopy()
	ts = resources.ApplyParameters(ts, tr, ts.Params...)
	ts = resources.ApplyContexts(ts, task.Name, tr)
	ts = resources.ApplyResults(ts)
	ts = resources.ApplyArtifacts(ts)
	ts = resources.ApplyStepExitCodePath(ts)
	ts = resources.ApplyWorkspaces(ctx, ts, ts.Workspaces, tr.Spec.Workspaces, workspace.CreateVolumes(tr.Spec.Workspaces))

	bound := map[string]bool{}
	for _, b := range tr.Spec.Workspaces {
		bound[b.Name] = true
	}
	out := &Resolved{ResultsDir: "/tekton/results", Workspaces: map[string]string{}}
	var wsMounts []Mount
	for _, w := range ts.Workspaces {
		if !bound[w.Name] {
			continue
		}
		out.Workspaces[w.Name] = w.GetMountPath()
		wsMounts = append(wsMounts, Mount{Name: "ws-" + w.Name, MountPath: w.GetMountPath(), ReadOnly: w.ReadOnly, Workspace: w.Name})
	}
	for _, s := range ts.Steps {
		step := s
		if ts.StepTemplate != nil {
			merged, err := v1.MergeStepsWithStepTemplate(ts.StepTemplate, []v1.Step{s})
			if err != nil {
				return nil, err
			}
			step = merged[0]
		}
		if step.Script == "" {
			return nil, fmt.Errorf("step %q: only script steps are supported here", step.Name)
		}
		script := step.Script
		if !strings.HasPrefix(script, "#!") {
			script = defaultScriptPrefix + script
		}
		env := map[string]string{}
		for _, e := range step.Env {
			if e.ValueFrom != nil {
				return nil, fmt.Errorf("step %q: env %s uses valueFrom, which needs a cluster", step.Name, e.Name)
			}
			env[e.Name] = e.Value
		}
		r := ResolvedStep{Name: step.Name, Image: step.Image, Script: script, Args: step.Args, Env: env, WorkingDir: step.WorkingDir, Mounts: []Mount{}}
		if r.Args == nil {
			r.Args = []string{}
		}
		if step.SecurityContext != nil {
			r.RunAsUser = step.SecurityContext.RunAsUser
			r.RunAsGroup = step.SecurityContext.RunAsGroup
		}
		for _, m := range step.VolumeMounts {
			r.Mounts = append(r.Mounts, Mount{Name: m.Name, MountPath: m.MountPath, ReadOnly: m.ReadOnly})
		}
		r.Mounts = append(r.Mounts, wsMounts...)
		out.Steps = append(out.Steps, r)
	}
	return out, nil
}

func readFile(path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	return data
}
