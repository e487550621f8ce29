package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	v1 "github.com/tektoncd/pipeline/pkg/apis/pipeline/v1"
)

const usage = `tekton-validate: Tekton's own decoding, defaulting, validation and substitution
  tekton-validate task FILE          validate a Task
  tekton-validate pipeline FILE [TASK...]
                                     validate a Pipeline; with the Tasks its taskRefs name, check
                                     each pipeline task's params and workspaces against its Task
  tekton-validate pipelinerun PIPELINE PIPELINERUN [TASK...]
                                     validate both, check the PipelineRun against the Pipeline as
                                     the reconciler does, and that each fixed-PLATFORM build task
                                     selects nodes of its architecture
  tekton-validate resolve TASK TASKRUN
                                     validate both, check the TaskRun's params against the Task and
                                     print the steps as the TaskRun's pod would run them (JSON)`

func main() {
	ctx := Context()
	args := os.Args[1:]
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	switch {
	case len(args) == 2 && args[0] == "task":
		if _, err := LoadTask(ctx, readFile(args[1]), args[1]); err != nil {
			fail(err)
		}
		fmt.Printf("%s: valid Task\n", args[1])
	case len(args) >= 2 && args[0] == "pipeline":
		p := loadPipelineWithTasks(ctx, args[1], args[2:], fail)
		fmt.Printf("%s: valid Pipeline %s\n", args[1], p.Name)
	case len(args) >= 3 && args[0] == "pipelinerun":
		p := loadPipelineWithTasks(ctx, args[1], args[3:], fail)
		pr, err := LoadPipelineRun(ctx, readFile(args[2]), args[2])
		if err != nil {
			fail(err)
		}
		if err := CheckPipelineRun(p, pr); err != nil {
			fail(fmt.Errorf("%s: %w", args[2], err))
		}
		fmt.Printf("%s: valid PipelineRun of %s\n", args[2], p.Name)
	case len(args) == 3 && args[0] == "resolve":
		task, err := LoadTask(ctx, readFile(args[1]), args[1])
		if err != nil {
			fail(err)
		}
		printResolved(ctx, task, args[2], fail)
	default:
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
}

func printResolved(ctx context.Context, task *v1.Task, taskRunFile string, fail func(error)) {
	tr, err := LoadTaskRun(ctx, readFile(taskRunFile), taskRunFile)
	if err != nil {
		fail(err)
	}
	resolved, err := Resolve(ctx, task, tr)
	if err != nil {
		fail(err)
	}
	out, _ := json.MarshalIndent(resolved, "", "  ")
	fmt.Println(string(out))
}

// loadPipelineWithTasks validates a Pipeline and, when Task files are given, its pipeline tasks
// against them.
func loadPipelineWithTasks(ctx context.Context, file string, taskFiles []string, fail func(error)) *v1.Pipeline {
	p, err := LoadPipeline(ctx, readFile(file), file)
	if err != nil {
		fail(err)
	}
	if len(taskFiles) == 0 {
		return p
	}
	tasks := map[string]*v1.Task{}
	for _, f := range taskFiles {
		task, err := LoadTask(ctx, readFile(f), f)
		if err != nil {
			fail(err)
		}
		tasks[task.Name] = task
	}
	if err := CheckPipelineTasks(ctx, p, tasks); err != nil {
		fail(fmt.Errorf("%s: %w", file, err))
	}
	return p
}
