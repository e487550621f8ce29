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
  tekton-validate pipeline FILE      validate a Pipeline
  tekton-validate resolve TASK TASKRUN
                                     validate both, check the TaskRun's params against the Task and
                                     print the steps as the TaskRun's pod would run them (JSON)
  tekton-validate resolve-embedded PIPELINE TASK TASKRUN
                                     the same for the inline taskSpec of a Pipeline's task`

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
	case len(args) == 2 && args[0] == "pipeline":
		if _, err := LoadPipeline(ctx, readFile(args[1]), args[1]); err != nil {
			fail(err)
		}
		fmt.Printf("%s: valid Pipeline\n", args[1])
	case len(args) == 3 && args[0] == "resolve":
		task, err := LoadTask(ctx, readFile(args[1]), args[1])
		if err != nil {
			fail(err)
		}
		printResolved(ctx, task, args[2], fail)
	case len(args) == 4 && args[0] == "resolve-embedded":
		p, err := LoadPipeline(ctx, readFile(args[1]), args[1])
		if err != nil {
			fail(err)
		}
		task, err := EmbeddedTask(ctx, p, args[2])
		if err != nil {
			fail(err)
		}
		printResolved(ctx, task, args[3], fail)
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
