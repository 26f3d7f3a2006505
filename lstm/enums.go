package lstm

import "fmt"

// Direction says which ways the LSTM reads a text. It marshals as text
// ("bidirectional", "forward").
type Direction int

// The directions.
const (
	// Bidirectional runs a forward and a backward LSTM and concatenates
	// their final states; it is the zero value, as in the reference model.
	Bidirectional Direction = iota
	// Forward runs a forward LSTM only.
	Forward
)

var directionNames = [...]string{Bidirectional: "bidirectional", Forward: "forward"}

func (d Direction) valid() bool { return d >= 0 && int(d) < len(directionNames) }

// String returns the name of d, or "Direction(n)" for an unknown value.
func (d Direction) String() string { return enumString("Direction", directionNames[:], int(d)) }

// MarshalText returns the name of d; an unknown value is an error.
func (d Direction) MarshalText() ([]byte, error) {
	return enumMarshal("direction", directionNames[:], int(d))
}

// UnmarshalText sets d from its name; an unknown name is an error and
// leaves d unchanged.
func (d *Direction) UnmarshalText(text []byte) error {
	return enumUnmarshal("direction", directionNames[:], text, (*int)(d))
}

// Optimizer selects the optimiser of [Model.TrainStep]. It marshals as
// text ("adam", "adamw").
type Optimizer int

// The optimisers.
const (
	// Adam is torch.optim.Adam: weight decay is an L2 penalty added to the
	// gradient. It is the zero value, as in the reference model.
	Adam Optimizer = iota
	// AdamW is torch.optim.AdamW: weight decay shrinks the weights
	// directly.
	AdamW
)

var optimizerNames = [...]string{Adam: "adam", AdamW: "adamw"}

func (o Optimizer) valid() bool { return o >= 0 && int(o) < len(optimizerNames) }

// String returns the name of o, or "Optimizer(n)" for an unknown value.
func (o Optimizer) String() string { return enumString("Optimizer", optimizerNames[:], int(o)) }

// MarshalText returns the name of o; an unknown value is an error.
func (o Optimizer) MarshalText() ([]byte, error) {
	return enumMarshal("optimizer", optimizerNames[:], int(o))
}

// UnmarshalText sets o from its name; an unknown name is an error and
// leaves o unchanged.
func (o *Optimizer) UnmarshalText(text []byte) error {
	return enumUnmarshal("optimizer", optimizerNames[:], text, (*int)(o))
}

// Schedule shapes the learning rate over a training run. It marshals as
// text ("constant", "linear").
type Schedule int

// The schedules. Both start with Config.WarmupSteps of linear warm-up from
// 0.
const (
	// ScheduleConstant keeps the learning rate at Config.LearningRate
	// after the warm-up (HF get_constant_schedule_with_warmup). It is the
	// zero value, as in the reference model (no warm-up).
	ScheduleConstant Schedule = iota
	// ScheduleLinear decays the learning rate linearly to 0 at the end of
	// the run after the warm-up (HF get_linear_schedule_with_warmup). It
	// needs the run's length: call [Model.PlanSteps] first (train.Trainer
	// does).
	ScheduleLinear
)

var scheduleNames = [...]string{ScheduleConstant: "constant", ScheduleLinear: "linear"}

func (s Schedule) valid() bool { return s >= 0 && int(s) < len(scheduleNames) }

// String returns the name of s, or "Schedule(n)" for an unknown value.
func (s Schedule) String() string { return enumString("Schedule", scheduleNames[:], int(s)) }

// MarshalText returns the name of s; an unknown value is an error.
func (s Schedule) MarshalText() ([]byte, error) {
	return enumMarshal("schedule", scheduleNames[:], int(s))
}

// UnmarshalText sets s from its name; an unknown name is an error and
// leaves s unchanged.
func (s *Schedule) UnmarshalText(text []byte) error {
	return enumUnmarshal("schedule", scheduleNames[:], text, (*int)(s))
}

func enumString(typ string, names []string, v int) string {
	if v < 0 || v >= len(names) {
		return fmt.Sprintf("%s(%d)", typ, v)
	}
	return names[v]
}

func enumMarshal(what string, names []string, v int) ([]byte, error) {
	if v < 0 || v >= len(names) {
		return nil, fmt.Errorf("lstm: unknown %s %d", what, v)
	}
	return []byte(names[v]), nil
}

func enumUnmarshal(what string, names []string, text []byte, v *int) error {
	for i, n := range names {
		if n == string(text) {
			*v = i
			return nil
		}
	}
	return fmt.Errorf("lstm: unknown %s %q (want one of %q)", what, text, names)
}
